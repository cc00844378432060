namespace Berth;

/// <summary>Entry point of the single berth binary: picks the mode from the first argument.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        return 0;
    }
}
