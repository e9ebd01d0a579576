import ParleyCore
import ParleyTestSupport
import Synchronization
import Testing

@testable import ParleyStreaming

@Suite("Handing updates to the consumer")
struct SessionUpdatesTests {
    let one = SessionID("one")
    let two = SessionID("two")
    let end = SessionEnd(outcome: .finished, metrics: SessionMetrics())

    @Test("sessions are served in the order their updates began; each session's batch comes before its end")
    func order() async {
        let updates = SessionUpdates()
        updates.post(Batch(events: [.text("a")]), for: one)
        updates.post(Batch(events: [.text("x")]), for: two)
        updates.post(Batch(events: [.text("b")]), for: one)
        updates.post(end, for: one)
        updates.post(end, for: two)
        updates.close()

        var received: [SessionUpdate] = []
        for await update in updates { received.append(update) }
        var merged = Batch(events: [.text("ab")])
        merged.eventCount = 2
        #expect(
            received == [
                .batch(one, merged), .ended(one, end), .batch(two, Batch(events: [.text("x")])), .ended(two, end),
            ])
    }

    @Test("a run loop is woken once when updates arrive, and takes everything ready in the same order")
    func runLoopConsumer() {
        let updates = SessionUpdates()
        let wakes = Mutex(0)
        updates.onArrival { wakes.withLock { $0 += 1 } }
        #expect(updates.takeReady().isEmpty)

        updates.post(Batch(events: [.text("a")]), for: one)
        updates.post(Batch(events: [.text("x")]), for: two)
        updates.post(Batch(events: [.text("b")]), for: one)
        updates.post(end, for: one)
        // One wake-up for everything that came while the loop had not taken anything.
        #expect(wakes.withLock { $0 } == 1)
        var merged = Batch(events: [.text("ab")])
        merged.eventCount = 2
        #expect(
            updates.takeReady() == [.batch(one, merged), .ended(one, end), .batch(two, Batch(events: [.text("x")]))])
        #expect(updates.pendingBatches == 0)

        // Taken: the next arrival wakes it again.
        updates.post(end, for: two)
        #expect(wakes.withLock { $0 } == 2)
        #expect(updates.takeReady() == [.ended(two, end)])
    }

    @Test("a waiting consumer gets an update as soon as it is posted")
    func waitingConsumer() async {
        let updates = SessionUpdates()
        let consumer = Task {
            var iterator = updates.makeAsyncIterator()
            return await iterator.next()
        }
        #expect(await eventually { updates.hasWaiter })
        updates.post(Batch(events: [.text("now")]), for: one)
        #expect(await consumer.value == .batch(one, Batch(events: [.text("now")])))
    }

    @Test("a consumer whose task is cancelled stops waiting, and shutting the service down ends the sequence")
    func cancelAndClose() async {
        let updates = SessionUpdates()
        let consumer = Task {
            var iterator = updates.makeAsyncIterator()
            return await iterator.next()
        }
        #expect(await eventually { updates.hasWaiter })
        consumer.cancel()
        #expect(await consumer.value == nil)

        let service = StreamingService()
        await service.shutdown()
        var iterator = service.updates.makeAsyncIterator()
        #expect(await iterator.next() == nil)
    }
}
