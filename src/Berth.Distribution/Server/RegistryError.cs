namespace Berth.Distribution;

/// <summary>A distribution-spec error: the HTTP status and the spec's error code, sent as <c>{"errors":[…]}</c>.</summary>
internal sealed class RegistryError : Exception
{
    public RegistryError(int status, string code, string message, string? detail = null) : base(message)
    {
        Status = status;
        Code = code;
        Detail = detail;
    }

    public int Status { get; }
    public string Code { get; }
    public string? Detail { get; }

    public static RegistryError NameInvalid(string name) => new(400, "NAME_INVALID", "invalid repository name", name);
    public static RegistryError NameUnknown(string name) => new(404, "NAME_UNKNOWN", "repository name not known to registry", name);
    public static RegistryError BlobUnknown(string digest, string? why = null) => new(404, "BLOB_UNKNOWN", "blob unknown to registry", why == null ? digest : $"{digest}: {why}");
    public static RegistryError ManifestUnknown(string reference, string? why = null) => new(404, "MANIFEST_UNKNOWN", "manifest unknown", why == null ? reference : $"{reference}: {why}");
    public static RegistryError DigestInvalid(string message, string? detail = null) => new(400, "DIGEST_INVALID", message, detail);
    public static RegistryError TagInvalid(string tag) => new(400, "TAG_INVALID", "manifest tag did not match URI", tag);
    /// <summary>A GET, HEAD or DELETE reference that is neither a digest nor a well-formed tag, so no manifest can answer to it.</summary>
    public static RegistryError NoSuchTag(string reference) =>
        new(404, "MANIFEST_UNKNOWN", "manifest unknown", $"\"{reference}\" is not a valid tag (tags match [a-zA-Z0-9_][a-zA-Z0-9._-]{{0,127}})");
    public static RegistryError ManifestInvalid(string message, string? detail = null) => new(400, "MANIFEST_INVALID", message, detail);
    public static RegistryError UploadUnknown(string id) => new(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", id);
    public static RegistryError Unsupported(string message) => new(405, "UNSUPPORTED", message);
}
