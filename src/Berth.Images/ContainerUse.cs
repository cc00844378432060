namespace Berth.Images;

/// <summary>A container that uses an image, as the engine reports it to rmi and prune.</summary>
public sealed record ContainerUse(string ContainerId, bool Running);
