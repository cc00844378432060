namespace Berth.Build.Parser.Instructions;

/// <summary>HEALTHCHECK: Test is ["NONE"], ["CMD", args…] or ["CMD-SHELL", command]; zero durations mean "inherit the default".</summary>
public sealed record HealthcheckInstruction(
    IReadOnlyList<string> Test,
    TimeSpan Interval,
    TimeSpan Timeout,
    TimeSpan StartPeriod,
    TimeSpan StartInterval,
    int Retries) : Instruction
{
    public override string Keyword => "HEALTHCHECK";
}
