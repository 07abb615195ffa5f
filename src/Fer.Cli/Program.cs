using System.CommandLine;
using Fer.Cli.Commands;

var root = new RootCommand("fer: facial emotion recognition in batches");
root.Subcommands.Add(ReportCommand.Create());
return await root.Parse(args).InvokeAsync();
