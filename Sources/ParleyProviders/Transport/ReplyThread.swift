import NIOCore
import NIOPosix

/// The one thread replies live on: the event loop that reads every provider connection, and the
/// executor the reply tasks (and their sessions' tasks) prefer.
///
/// AsyncHTTPClient hands each piece of a body over from its connection's event loop. A task on the
/// cooperative pool that awaits that piece is resumed by waking a pool thread, and the session
/// following the reply by waking another: two thread wake-ups per piece, which is most of what a
/// streamed reply costs. A task that prefers this executor is resumed on the event loop itself,
/// right after the read, so decoding and batching run where the bytes arrived, without a wake-up.
/// One thread is plenty: a reply's decoding costs microseconds per piece.
public final class ReplyThread: TaskExecutor {
    public static let shared = ReplyThread()

    /// The event loop, for the HTTP clients: the connections must live where the tasks run.
    let group: MultiThreadedEventLoopGroup
    /// Where the sleeps of `ReplyClock` are kept.
    let loop: any EventLoop

    private init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
