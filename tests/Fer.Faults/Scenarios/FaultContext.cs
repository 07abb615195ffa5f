namespace Fer.Faults.Scenarios;

/// <summary>What a scenario gets: the running stack, the images to upload, the settings and the service switch.</summary>
public sealed record FaultContext(FaultStack Stack, FaultImages Images, FaultSettings Settings, ServiceControl Services)
{
    /// <summary>Faces plus the unscorable files: the number of images a folder must end with, all terminal.</summary>
    public int Expected => Settings.Images + FaultImages.Unscorable.Count;
}
