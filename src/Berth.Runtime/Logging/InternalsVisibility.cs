using System.Runtime.CompilerServices;

// The monitor and log tests exercise the line codec and the syscall wrappers directly.
[assembly: InternalsVisibleTo("Berth.Runtime.Tests")]
