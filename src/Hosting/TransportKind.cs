namespace HotDistance.Hosting;

public enum TransportKind
{
    /// <summary>MassTransit's in-memory transport: one process, nothing to install (the embedded default).</summary>
    InMemory,

    /// <summary>RabbitMQ: roles in separate processes or on separate machines.</summary>
    RabbitMq,
}
