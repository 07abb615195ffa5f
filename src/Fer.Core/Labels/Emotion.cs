namespace Fer.Core.Labels;

/// <summary>The seven FER2013 classes, in the order of the model's output.</summary>
public enum Emotion
{
    Angry = 0,
    Disgust = 1,
    Fear = 2,
    Happy = 3,
    Sad = 4,
    Surprise = 5,
    Neutral = 6,
}
