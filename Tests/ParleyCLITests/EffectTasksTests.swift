import Foundation
import ParleyTestSupport
import Synchronization
import Testing

@testable import parley

/// The tasks the app's effects start, owned by what they are for: one per job, replaced by the
/// next, cancelled by name, all stopped on quitting; a result and a cancel never both win.
@Suite("The app's background jobs are owned by name, and a result and a cancel never both win")
struct EffectTasksTests {
    /// A job that waits for its gate (or its cancel), then tries to claim its result.
    final class GatedJob: Sendable {
        let gate: AsyncStream<Void>
        let open: AsyncStream<Void>.Continuation
        let claimed = Mutex<Bool?>(nil)
        let sawCancel = Mutex(false)

        init() { (gate, open) = AsyncStream.makeStream() }

        func run(in tasks: EffectTasks<String>, as key: String) {
            tasks.start(key) { [self] ticket in
                for await _ in gate { break }
                sawCancel.withLock { $0 = Task.isCancelled }
                let won = tasks.claim(ticket)
                claimed.withLock { $0 = won }
            }
        }

        var result: Bool? { claimed.withLock { $0 } }
    }

    @Test("a job cancelled before it claims its result learns that it lost, and the cancel that it won")
    func cancelFirst() async {
        let tasks = EffectTasks<String>()
        let job = GatedJob()
        job.run(in: tasks, as: "key command")
        #expect(tasks.cancel("key command"))
        #expect(await eventually { job.result != nil })
        #expect(job.result == false)
        #expect(job.sawCancel.withLock { $0 })
        #expect(!tasks.cancel("key command"))
    }

    @Test("a job that claims its result first wins, and a later cancel finds nothing to cancel")
    func claimFirst() async {
        let tasks = EffectTasks<String>()
        let job = GatedJob()
        job.run(in: tasks, as: "key command")
        job.open.yield()
        #expect(await eventually { job.result != nil })
        #expect(job.result == true)
        #expect(!tasks.cancel("key command"))
    }

    /// What a claiming job and a cancel see of each other.
    final class Race: Sendable {
        let cancelling = Mutex(false)
        let started = Mutex(false)
        /// What the cancel returned, and whether what the job started was there when it did.
        let told = Mutex<(cancelled: Bool, started: Bool)?>(nil)
    }

    @Test(
        "what a job starts as it claims is there before a cancel hears the job has ended: a reply is never left running"
    )
    func claimThenAct() async {
        let tasks = EffectTasks<String>()
        let race = Race()
        tasks.start("reply") { ticket in
            tasks.claim(ticket) {
                // Esc as the reply starts, from a thread of its own (the UI's): the job is claimed.
                Thread {
                    race.cancelling.withLock { $0 = true }
                    let cancelled = tasks.cancel("reply")
                    race.told.withLock { $0 = (cancelled, race.started.withLock { $0 }) }
                }.start()
                // Holds the claim until the cancel is on its way, then takes its time starting.
                while !race.cancelling.withLock({ $0 }) { sched_yield() }
                for _ in 0..<1_000 { sched_yield() }
                race.started.withLock { $0 = true }
            }
        }
        #expect(await eventually { race.told.withLock { $0 } != nil })
        let told = race.told.withLock { $0 }
        #expect(told?.cancelled == false, "the job had claimed its result")
        #expect(told?.started == true, "what the job started is there for the cancel to stop")
    }

    @Test("starting a job again cancels the one before: only the newer one's result is wanted")
    func replaced() async {
        let tasks = EffectTasks<String>()
        let older = GatedJob()
        let newer = GatedJob()
        older.run(in: tasks, as: "search")
        newer.run(in: tasks, as: "search")
        #expect(await eventually { older.result != nil })
        #expect(older.result == false)
        newer.open.yield()
        #expect(await eventually { newer.result != nil })
        #expect(newer.result == true)
    }

    @Test("jobs under other keys go on by themselves")
    func independent() async {
        let tasks = EffectTasks<String>()
        let listing = GatedJob()
        let search = GatedJob()
        listing.run(in: tasks, as: "listing")
        search.run(in: tasks, as: "search")
        tasks.cancel("listing")
        search.open.yield()
        #expect(await eventually { search.result != nil && listing.result != nil })
        #expect(search.result == true)
        #expect(listing.result == false)
    }

    @Test("stopping cancels every job, returns once they have ended, and starts nothing after")
    func stop() async {
        let tasks = EffectTasks<String>()
        let jobs = (0..<3).map { _ in GatedJob() }
        for (number, job) in jobs.enumerated() { job.run(in: tasks, as: "job \(number)") }
        await tasks.stop()
        for job in jobs { #expect(job.result == false) }
        let late = GatedJob()
        late.run(in: tasks, as: "late")
        late.open.yield()
        #expect(!tasks.cancel("late"))
        #expect(late.result == nil)
    }
}
