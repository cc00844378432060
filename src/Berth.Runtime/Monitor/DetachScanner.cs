namespace Berth.Runtime.Monitor;

/// <summary>Watches a client's input for the detach sequence: matching bytes are held back, released if the sequence breaks, dropped if it completes.</summary>
internal sealed class DetachScanner(byte[] keys)
{
    private int _matched;

    /// <summary>Copies the bytes of <paramref name="input"/> to forward into <paramref name="output"/>; returns how many, and sets <paramref name="detach"/> when the sequence completed (later input is ignored).</summary>
    public int Scan(ReadOnlySpan<byte> input, Span<byte> output, out bool detach)
    {
        // output must hold input.Length + keys.Length bytes (a broken prefix is released with the byte that broke it).
        detach = false;
        int o = 0;
        foreach (byte b in input)
        {
            if (keys.Length == 0)
            {
                output[o++] = b;
                continue;
            }
            if (b == keys[_matched])
            {
                if (++_matched == keys.Length)
                {
                    _matched = 0;
                    detach = true;
                    return o;
                }
                continue;
            }
            if (_matched > 0)
            {
                keys.AsSpan(0, _matched).CopyTo(output[o..]);
                o += _matched;
                _matched = 0;
            }
            if (b == keys[0])
            {
                if (keys.Length == 1)
                {
                    detach = true;
                    return o;
                }
                _matched = 1;
            }
            else
            {
                output[o++] = b;
            }
        }
        return o;
    }
}
