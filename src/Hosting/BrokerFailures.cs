using System.Text.RegularExpressions;
using RabbitMQ.Client.Exceptions;

namespace HotDistance.Hosting;

/// <summary>Turns a failure to start on RabbitMQ into what an operator can act on.</summary>
public static partial class BrokerFailures
{
    /// <summary>
    /// The broker refused to declare a queue because one of that name exists with other arguments (AMQP 406):
    /// typically a classic queue left by a version before the quorum-queue topology. Null for other failures.
    /// </summary>
    public static string? DescribeConflictingQueue(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is OperationInterruptedException { ShutdownReason: { ReplyCode: 406 } reason }
                && QueueInReply().Match(reason.ReplyText) is { Success: true } match)
            {
                var queue = match.Groups["queue"].Value;
                return $"the broker already has a queue '{queue}' declared with other arguments ({reason.ReplyText}). " +
                    "Queues from an earlier HotDistance version are classic queues; this version declares quorum queues. " +
                    $"Delete the old queue once (rabbitmqctl delete_queue {queue}; drain it first if it holds messages) " +
                    "or set HD_QUEUE_PREFIX to start with new queues.";
            }
        }

        return null;
    }

    [GeneratedRegex("for queue '(?<queue>[^']+)'")]
    private static partial Regex QueueInReply();
}
