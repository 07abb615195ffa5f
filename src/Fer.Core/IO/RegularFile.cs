using Fer.Core.Imaging;

namespace Fer.Core.IO;

/// <summary>Reads a file only if it is a regular one: opened without blocking and without following a last-component
/// link, checked on the handle, and refused past a size limit. A FIFO named <c>x.png</c> would block a plain read for
/// ever and <c>/dev/zero</c> would never end; both fail here with the reason instead.</summary>
public static class RegularFile
{
    /// <summary>The bytes of <paramref name="path"/>; <see cref="InvalidImageException"/> when it cannot or must not be read.</summary>
    public static byte[] ReadAll(string path, long maxBytes)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = LocalFileSystem.OpenForReading(path);
        }
        catch (EntryAccessException ex)
        {
            throw new InvalidImageException(ex.Errno == EntryAccessException.ELOOP
                ? "symbolic link: not followed"
                : $"cannot read file: {EntryAccessException.Describe(ex.Errno)}");
        }
        using (handle)
        {
            var status = LocalFileSystem.FStat(handle, path);
            if (status.Kind != EntryKind.Regular)
                throw new InvalidImageException($"not a regular file ({status.Kind}): never read");
            if (status.Size > maxBytes)
                throw new InvalidImageException($"file of {status.Size} bytes exceeds the limit of {maxBytes}");
            return ReadExactly(handle, status.Size);
        }
    }

    /// <summary>The first <paramref name="size"/> bytes of an open file (the size fstat gave); a file that ends sooner
    /// shrank while it was read, an <see cref="InvalidImageException"/> saying so.</summary>
    public static byte[] ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long size)
    {
        var bytes = new byte[size];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n == 0)
                throw new InvalidImageException($"file shrank while it was being read ({size} -> {read} bytes)");
            read += n;
        }
        return bytes;
    }
}
