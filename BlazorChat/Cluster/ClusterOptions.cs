using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BlazorChat.Cluster;

/// <summary>
/// The "Cluster" section: how this instance's embedded Orleans silo finds the others. With no <see cref="Redis"/>
/// it is a cluster of one on loopback with its state in memory, as a single instance always was.
/// </summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>
    /// A StackExchange.Redis connection string ("127.0.0.1:6379"). When set, instances that share it form one cluster:
    /// membership and the chat's state (pairs, requests, recent messages) live in that Redis, which should run without
    /// persistence so that messages never reach a disk.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>
    /// The port silos talk to each other on; each instance on one machine needs its own. 0 (the default): a free
    /// loopback port chosen at start, which the silo publishes in the membership table for the others to find.
    /// </summary>
    [Range(0, 65535)]
    public int SiloPort { get; set; }

    /// <summary>
    /// The port external Orleans clients would connect to. The app's own circuits use the silo inside the process, so
    /// 0 (the default) opens none; set one only for an outside client.
    /// </summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; }

    /// <summary>The cluster's name: instances with the same Redis and the same name form one cluster.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string ClusterId { get; set; } = "blazorchat";

    /// <summary>The address other silos reach this one on; loopback unless set (several machines need a real one).</summary>
    public string? AdvertisedAddress { get; set; }

    public bool IsClustered => !string.IsNullOrWhiteSpace(Redis);
}

/// <summary>Checks <see cref="ClusterOptions"/> at start-up (generated from the attributes).</summary>
[OptionsValidator]
public sealed partial class ClusterOptionsValidator : IValidateOptions<ClusterOptions>;
