using Berth.Runtime.Spec;

namespace Berth.Runtime.Monitor;

/// <summary>One request on monitor.sock: a single JSON line; for attach and exec the connection then carries raw stdio.</summary>
public sealed class MonitorRequest
{
    /// <summary>attach, start, resize, wait, exec, exec-inspect or state.</summary>
    public string Op { get; set; } = "";
    /// <summary>attach / exec: stream stdin from the client to the process.</summary>
    public bool Stdin { get; set; }
    /// <summary>attach / exec: stream the process's stdout to the client.</summary>
    public bool Stdout { get; set; }
    /// <summary>attach / exec: stream the process's stderr to the client.</summary>
    public bool Stderr { get; set; }
    /// <summary>attach / exec: Docker's detach key syntax; null means ctrl-p,ctrl-q.</summary>
    public string? DetachKeys { get; set; }
    /// <summary>attach: replay the log before live output.</summary>
    public bool Logs { get; set; }
    /// <summary>resize / exec: window size.</summary>
    public ushort Height { get; set; }
    public ushort Width { get; set; }
    /// <summary>resize (of an exec's pty), exec, exec-inspect.</summary>
    public string? ExecId { get; set; }
    /// <summary>exec: the process to run.</summary>
    public ProcessSpec? Process { get; set; }
    /// <summary>exec: give the process a pty.</summary>
    public bool Tty { get; set; }
}
