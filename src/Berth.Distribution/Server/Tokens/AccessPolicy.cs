namespace Berth.Distribution;

/// <summary>
/// What the built-in issuer grants: a user from the htpasswd file gets every action asked for on any repository
/// (pull, push, delete) and the catalog; an anonymous client gets pull when anonymous pull is on, else nothing.
/// </summary>
internal sealed class AccessPolicy(bool anonymousPull)
{
    private static readonly string[] RepositoryActions = ["pull", "push", "delete"];

    /// <summary>The part of each requested scope that <paramref name="user"/> (null: anonymous) may have; empty grants are dropped.</summary>
    public List<TokenAccess> Grant(string? user, IEnumerable<TokenAccess> requested)
    {
        var granted = new List<TokenAccess>();
        foreach (var want in requested)
        {
            var actions = want.Actions.Where(a => Allowed(user, want.Type, want.Name, a)).ToArray();
            if (actions.Length > 0) granted.Add(want with { Actions = actions });
        }
        return granted;
    }

    private bool Allowed(string? user, string type, string name, string action) => (type, name) switch
    {
        ("repository", _) when RegistryNames.IsValidName(name) =>
            user != null ? RepositoryActions.Contains(action) : anonymousPull && action == "pull",
        ("registry", "catalog") => user != null && action == "*",
        _ => false,
    };
}
