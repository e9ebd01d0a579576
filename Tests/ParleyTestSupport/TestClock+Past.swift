import Clocks

extension TestClock<Duration> {
    /// Moves time to just past `duration` from now. A `TestClock` keeps a sleep until exactly its
    /// current time waiting for the next move; a task that starts such a sleep only after the move
    /// (one scheduled late on a loaded machine) would wait forever. Just past it, it returns at once.
    public func advance(past duration: Duration) async {
        await advance(by: duration + .nanoseconds(1))
    }
}
