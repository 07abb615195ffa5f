using System.Diagnostics;
using Fer.Contracts;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// One score request as it reaches a batch, whichever way it came (RabbitMQ, or `fer run`'s in-process queue):
/// the message, the span that sent it (the parent of the image's "score-image" span; default when unknown) and when.
/// </summary>
public readonly record struct ScoreDelivery(ScoreImage Message, ActivityContext Sender, DateTime? SentTimeUtc);
