using Berth.Core;

namespace Berth.Distribution;

/// <summary>Turns the auth options of a registry server into its gate and, with the built-in issuer, its token endpoint.</summary>
internal static class RegistryAuthSetup
{
    public const string DefaultService = "berth-registry";
    public const string DefaultIssuer = "berth-token-issuer";

    /// <summary>Checks the flags fit together and loads their files; a wrong combination is an error naming the flags.</summary>
    public static (IRegistryGate? Gate, TokenEndpoint? Tokens) Build(RegistryServerOptions o)
    {
        bool external = o.TokenRealm != null && !o.TokenAuth;
        if (!o.TokenAuth && o.TokenRealm == null)
        {
            foreach (var (set, flag) in new[] { (o.TokenService, "--token-service"), (o.TokenIssuer, "--token-issuer"), (o.TokenCertBundle, "--token-cert-bundle"), (o.TokenKeyFile, "--token-key") })
                if (set != null) throw BerthException.Invalid($"{flag} needs --token-auth (built-in issuer) or --token-realm (external issuer)");
        }
        if (!o.TokenAuth && o.TokenKeyFile != null) throw BerthException.Invalid("--token-key is the built-in issuer's signing key and needs --token-auth");
        if (!o.TokenAuth && o.TokenAnonymousPull) throw BerthException.Invalid("--token-anonymous-pull needs --token-auth");
        if (o.TokenRealm != null && (!Uri.TryCreate(o.TokenRealm, UriKind.Absolute, out var realm) || realm.Scheme is not ("http" or "https")))
            throw BerthException.Invalid($"--token-realm \"{o.TokenRealm}\" is not an absolute http(s) URL");
        if (!o.TokenAuth && !external)
            return (o.HtpasswdFile == null ? null : new BasicGate(new HtpasswdFile(o.HtpasswdFile)), null);

        if (external)
        {
            if (o.HtpasswdFile != null) throw BerthException.Invalid("--htpasswd cannot be used with an external token issuer (--token-realm without --token-auth): the issuer knows the users");
            if (o.TokenService == null || o.TokenIssuer == null || o.TokenCertBundle == null)
                throw BerthException.Invalid("an external token issuer (--token-realm) needs --token-service, --token-issuer and --token-cert-bundle");
            var roots = TokenVerifier.LoadBundle(o.TokenCertBundle);
            return (new TokenGate(new TokenVerifier(o.TokenIssuer, o.TokenService, [], roots), o.TokenRealm), null);
        }

        if (o.HtpasswdFile == null) throw BerthException.Invalid("--token-auth needs --htpasswd FILE: its users are who the built-in issuer grants tokens to");
        var users = new HtpasswdFile(o.HtpasswdFile);
        var key = o.TokenKeyFile != null ? TokenKey.LoadPrivate(o.TokenKeyFile) : TokenKey.Generate();
        string service = o.TokenService ?? DefaultService, issuerName = o.TokenIssuer ?? DefaultIssuer;
        var issuer = new TokenIssuer(key, issuerName, service);
        var extra = o.TokenCertBundle != null ? TokenVerifier.LoadBundle(o.TokenCertBundle) : null;
        var verifier = new TokenVerifier(issuerName, service, [key], extra);
        return (new TokenGate(verifier, o.TokenRealm), new TokenEndpoint(issuer, users, new AccessPolicy(o.TokenAnonymousPull)));
    }
}
