namespace Fer.Data.Entities;

/// <summary>A face's box in the original image's pixels; stored as the columns box_x, box_y, box_width, box_height.</summary>
public sealed record PixelBox(int X, int Y, int Width, int Height);
