using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Fer.Core.IO;

/// <summary>What a directory entry is, as lstat/fstat report it (never what a symbolic link points to).</summary>
public enum EntryKind
{
    Regular,
    Directory,
    SymbolicLink,
    NamedPipe,
    Socket,
    CharacterDevice,
    BlockDevice,
    Unknown,
}

/// <summary>The facts about one file system object that listing and opening decide on.</summary>
public readonly record struct EntryStatus(EntryKind Kind, ulong Device, ulong Inode, long Size, DateTime LastWriteUtc)
{
    /// <summary>Device + inode: two names with the same identity are one file (a hard link, a bind mount).</summary>
    public (ulong Device, ulong Inode) Identity => (Device, Inode);
}

/// <summary>An lstat/open that failed, with the errno so callers can tell "gone" from "not allowed".</summary>
public sealed class EntryAccessException(int errno, string path, string operation)
    : IOException($"{operation} {path}: {Describe(errno)}")
{
    public const int ENOENT = 2, EACCES = 13, ELOOP = 40, ENAMETOOLONG = 36, ENOTDIR = 20, EPERM = 1;

    public int Errno { get; } = errno;

    public static string Describe(int errno) => errno switch
    {
        ENOENT => "no such file",
        EACCES or EPERM => "permission denied",
        ELOOP => "too many levels of symbolic links",
        ENAMETOOLONG => "path longer than the system limit",
        ENOTDIR => "a path component is not a folder",
        _ => $"errno {errno}",
    };
}

/// <summary>
/// The few POSIX calls .NET does not expose: lstat with the device and inode (statx, whose layout is the same on
/// every Linux architecture), open with O_NONBLOCK | O_NOFOLLOW (opening a FIFO for reading without O_NONBLOCK blocks
/// until a writer appears; .NET's FileOptions has no such flag), fstat on the opened handle, and realpath.
/// Elsewhere than Linux it falls back on what <see cref="FileSystemInfo"/> knows (no inode: no hard-link dedupe).
/// </summary>
public static class LocalFileSystem
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxBufferSize = 256;

    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private const int ONoCtty = 0x100;

    // O_NOFOLLOW is 0400000 on x86/x86-64 and 0100000 on arm/arm64 (asm-generic vs. arch headers).
    private static int ONoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    [DllImport("libc", SetLastError = true, EntryPoint = "statx")]
    private static extern int StatxPath(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "realpath")]
    private static extern IntPtr RealPathNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);

    /// <summary>lstat: the entry itself, a symbolic link is reported as a link. Throws <see cref="EntryAccessException"/>.</summary>
    public static EntryStatus LStat(string path)
    {
        if (!OperatingSystem.IsLinux())
            return ManagedStat(path);
        var buffer = new byte[StatxBufferSize];
        if (StatxPath(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
            throw new EntryAccessException(Marshal.GetLastPInvokeError(), path, "lstat");
        return Decode(buffer);
    }

    /// <summary>fstat of an open handle: what was really opened, whatever the name points to now.</summary>
    public static EntryStatus FStat(SafeFileHandle handle, string path)
    {
        if (!OperatingSystem.IsLinux())
            return ManagedStat(path);
        var buffer = new byte[StatxBufferSize];
        if (StatxPath((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxBasicStats, buffer) != 0)
            throw new EntryAccessException(Marshal.GetLastPInvokeError(), path, "fstat");
        return Decode(buffer);
    }

    /// <summary>
    /// Opens for reading without ever blocking in open() (a FIFO swapped in after the type check returns at once)
    /// and without following a symbolic link in the last component. The caller checks the result with
    /// <see cref="FStat"/> before reading.
    /// </summary>
    public static SafeFileHandle OpenForReading(string path)
    {
        if (!OperatingSystem.IsLinux())
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var fd = Open(path, ORdOnly | ONonBlock | OCloExec | ONoCtty | ONoFollow);
        if (fd < 0)
            throw new EntryAccessException(Marshal.GetLastPInvokeError(), path, "open");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>The canonical path (every link resolved, no . or ..). Throws <see cref="EntryAccessException"/>.</summary>
    public static string RealPath(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return Path.GetFullPath(target?.FullName ?? path);
        }
        var resolved = RealPathNative(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
            throw new EntryAccessException(Marshal.GetLastPInvokeError(), path, "realpath");
        try
        {
            return Marshal.PtrToStringUTF8(resolved)!;
        }
        finally
        {
            Free(resolved);
        }
    }

    private static EntryStatus Decode(byte[] b)
    {
        var mode = BitConverter.ToUInt16(b, 28);
        var inode = BitConverter.ToUInt64(b, 32);
        var size = BitConverter.ToInt64(b, 40);
        var mtimeSeconds = BitConverter.ToInt64(b, 112);
        var mtimeNanos = BitConverter.ToUInt32(b, 120);
        var devMajor = BitConverter.ToUInt32(b, 136);
        var devMinor = BitConverter.ToUInt32(b, 140);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => EntryKind.Regular,
            0x4000 => EntryKind.Directory,
            0xA000 => EntryKind.SymbolicLink,
            0x1000 => EntryKind.NamedPipe,
            0xC000 => EntryKind.Socket,
            0x2000 => EntryKind.CharacterDevice,
            0x6000 => EntryKind.BlockDevice,
            _ => EntryKind.Unknown,
        };
        var written = DateTime.UnixEpoch.AddSeconds(mtimeSeconds).AddTicks(mtimeNanos / 100);
        return new EntryStatus(kind, ((ulong)devMajor << 32) | devMinor, inode, size, written);
    }

    private static EntryStatus ManagedStat(string path)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (!info.Exists && info.LinkTarget is null)
            throw new EntryAccessException(EntryAccessException.ENOENT, path, "stat");
        var kind = info.LinkTarget is not null ? EntryKind.SymbolicLink
            : info is DirectoryInfo ? EntryKind.Directory
            : EntryKind.Regular;
        // No inode here: a unique identity per path, so nothing is deduplicated rather than everything.
        var identity = (ulong)StringComparer.Ordinal.GetHashCode(info.FullName);
        return new EntryStatus(kind, 0, identity, info is FileInfo f && kind == EntryKind.Regular ? f.Length : 0, info.LastWriteTimeUtc);
    }
}
