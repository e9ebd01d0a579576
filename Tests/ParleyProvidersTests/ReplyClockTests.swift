import Testing

@testable import ParleyProviders

/// The reply clock's sleeps are timers of the reply thread: they end no sooner than their
/// deadline, and a cancel ends them at once, whenever it comes.
@Suite struct ReplyClockTests {
    let clock = ReplyClock()

    @Test func aSleepEndsNoSoonerThanItsDeadline() async throws {
        let deadline = clock.now.advanced(by: .milliseconds(5))
        try await clock.sleep(until: deadline)
        #expect(clock.now >= deadline)
    }

    @Test func aDeadlineAlreadyPastEndsTheSleepAtOnce() async throws {
        let started = clock.now
        try await clock.sleep(until: started.advanced(by: .seconds(-1)))
        #expect(clock.now >= started)
    }

    @Test func aTaskSleepingOnTheReplyThreadResumesThere() async throws {
        let sleeper = Task(executorPreference: ReplyThread.shared) {
            try await clock.sleep(until: clock.now.advanced(by: .milliseconds(1)))
            return ReplyThread.shared.loop.inEventLoop
        }
        #expect(try await sleeper.value)
    }

    @Test func aCancelEndsALongSleep() async {
        let sleeper = Task { try await clock.sleep(until: clock.now.advanced(by: .seconds(3600))) }
        sleeper.cancel()
        let result = await sleeper.result
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test func aCancelBeforeTheSleepBeginsEndsItAsItBegins() async {
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(until: clock.now.advanced(by: .seconds(3600)))
        }
        let result = await sleeper.result
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test func manySleepsEndEachOnce() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let sleep = Task { try await clock.sleep(until: clock.now.advanced(by: .milliseconds(index % 3))) }
                    if index.isMultiple(of: 2) { sleep.cancel() }
                    _ = await sleep.result
                }
            }
            try await group.waitForAll()
        }
    }
}
