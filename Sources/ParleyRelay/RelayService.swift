import Hummingbird
import ServiceLifecycle

/// The server as a service that stops gracefully: on SIGINT or SIGTERM it stops accepting, lets
/// the replies under way go on for the grace period, and then stops those left, each ending with
/// an error event its client can read (not a connection cut mid-chunk).
struct RelayService: Service {
    let application: Application<RouterResponder<BasicRequestContext>>
    let grace: Duration
    let clock: any Clock<Duration>
    let replies: RunningReplies

    func run() async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await application.run()
                return true
            }
            group.addTask {
                // Graceful shutdown reaches this task as it reaches the application's.
                guard (try? await gracefulShutdown()) != nil, (try? await clock.sleep(for: grace)) != nil else {
                    return false
                }
                replies.stopAll()
                return false
            }
            while let applicationEnded = try await group.next() {
                if applicationEnded {
                    group.cancelAll()
                    return
                }
            }
        }
    }
}
