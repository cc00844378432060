using Berth.Build.Parser.Instructions;
using Berth.Build.Shell;
using Berth.Core;

namespace Berth.Build.Planning;

/// <summary>Which stages a build needs (the target and, transitively, the stages it starts FROM or copies --from) and what each waits for.</summary>
public static class StagePlan
{
    /// <summary>The index of the stage named (or numbered) <paramref name="reference"/> among those before <paramref name="before"/>, or -1.</summary>
    public static int Find(BuildDefinition def, string reference, int before)
    {
        string lower = reference.ToLowerInvariant();
        for (int i = 0; i < Math.Min(before, def.Stages.Count); i++)
            if (def.Stages[i].Name == lower) return i;
        if (int.TryParse(reference, out int n) && n >= 0 && n < before) return n;
        return -1;
    }

    /// <summary>The index of the target stage: the last one, or the one named by <paramref name="target"/>.</summary>
    public static int Target(BuildDefinition def, string? target)
    {
        if (def.Stages.Count == 0) throw BerthException.Invalid("the Dockerfile has no build stage (no FROM instruction)");
        if (string.IsNullOrEmpty(target)) return def.Stages.Count - 1;
        int i = Find(def, target, def.Stages.Count);
        if (i < 0)
            throw BerthException.Invalid($"failed to reach build target {target} in Dockerfile");
        return i;
    }

    /// <summary>The stages needed for <paramref name="target"/>, in Dockerfile order.</summary>
    public static IReadOnlyList<int> Needed(BuildDefinition def, int target, IReadOnlyDictionary<string, string> metaArgs, ShellLex lex)
    {
        var needed = new SortedSet<int>();
        var todo = new Stack<int>();
        todo.Push(target);
        while (todo.Count > 0)
        {
            int i = todo.Pop();
            if (!needed.Add(i)) continue;
            foreach (int dep in DependsOn(def, i, metaArgs, lex)) todo.Push(dep);
        }
        return needed.ToList();
    }

    /// <summary>The earlier stages stage <paramref name="index"/> starts FROM, copies --from or mounts in a RUN --mount from=: it can start once they are built.</summary>
    public static IReadOnlySet<int> DependsOn(BuildDefinition def, int index, IReadOnlyDictionary<string, string> metaArgs, ShellLex lex)
    {
        var deps = new SortedSet<int>();
        var stage = def.Stages[index];
        int from = Find(def, lex.ProcessWord(stage.BaseImage, metaArgs), index);
        if (from >= 0) deps.Add(from);
        foreach (var ins in stage.Instructions)
            if (ins is CopyInstruction { From: { } source } && Find(def, source, index) is >= 0 and var dep)
                deps.Add(dep);
            else if (ins is RunInstruction run)
                foreach (var m in run.Mounts)
                    if (m.From != null && Find(def, m.From, index) is >= 0 and var mountDep) deps.Add(mountDep);
        return deps;
    }
}
