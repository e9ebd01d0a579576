import CNCurses
import Glibc
import ParleyCore

/// The one loop (Bubble Tea's shape): sleep in poll() on the terminal and the inbox's pipe, fold
/// each event into the state, run the effects, draw at most one frame per turn. Idle, it sleeps
/// with no timeout at all; ticks run only while something moves.
public final class AppRuntime: Sendable {
    private let inbox = Inbox()

    public init() {}

    /// Posts an event from any thread (database answers, model lists, searches).
    public func post(_ event: AppEvent) { inbox.post(event) }

    /// Wakes the loop from any thread, to ask `AppEnvironment.arrivals` for what came.
    public func wake() { inbox.wake() }

    /// Runs the app on the calling thread until it quits; the terminal is restored on return (the
    /// last saves are the environment's to finish). Throws (before touching the screen) when
    /// there is no usable terminal.
    public func run(_ initial: AppState, environment: AppEnvironment, startUp: [AppEvent] = []) throws -> AppState {
        parley_install_signal_handlers(inbox.pipe.write)
        Glyphs.useUTF8Locale()
        let screen: Screen
        do {
            screen = try Screen(theme: environment.theme, mouse: initial.defaults.mouse)
        } catch {
            throw AppRuntimeError(message: error.description)
        }
        defer { screen.end() }
        var loop = Loop(state: initial, screen: screen, inbox: inbox, environment: environment)
        for event in [.resized(screen.size)] + startUp { inbox.post(event) }
        loop.run()
        return loop.state
    }
}

public struct AppRuntimeError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The loop's own state, on the UI thread.
private struct Loop {
    var state: AppState
    let screen: Screen
    let inbox: Inbox
    let environment: AppEnvironment
    let layout = TranscriptLayout()
    var dirty = true
    /// Something the user did is waiting to be seen: it is drawn at once, not paced.
    var urgent = true
    var lastDraw: ContinuousClock.Instant?
    var nextTick: ContinuousClock.Instant?
    var quitDeadline: ContinuousClock.Instant?
    let clock = ContinuousClock()
    /// How long quitting waits for the replies being stopped to end and be saved.
    static let quitGrace: Duration = .seconds(3)
    /// Stream batches and ticks are drawn at most this often, however many conversations stream
    /// at once; keys, pastes and resizes are drawn at once. A little under a batch window (50 ms):
    /// one reply's batches, which come a window and a little apart, are each drawn as it arrives.
    /// At exactly one window, a frame drawn off a batch's beat (a tick's) held every later batch
    /// back until 50 ms after the frame before: about 15 ms late, and a second wake-up per batch.
    /// Faster would only draw the spinner's ticks and other conversations' batches in frames of
    /// their own (a frame costs about a millisecond at 160×48).
    static let frameInterval: Duration = .milliseconds(40)

    init(state: AppState, screen: Screen, inbox: Inbox, environment: AppEnvironment) {
        self.state = state
        self.screen = screen
        self.inbox = inbox
        self.environment = environment
    }

    mutating func run() {
        while true {
            for event in inbox.take() + environment.arrivals() { apply(event) }
            if dirty, urgent || nextFrame.map({ clock.now >= $0 }) ?? true {
                draw()
                dirty = false
                urgent = false
                lastDraw = clock.now
            }
            if let deadline = quitDeadline, state.chat.sessions.isEmpty || clock.now >= deadline { return }
            wait()
        }
    }

    private mutating func apply(_ event: AppEvent, urgent: Bool = false) {
        let effects = state.reduce(event, now: environment.now(), layout: layout)
        dirty = true
        if urgent { self.urgent = true }
        for effect in effects {
            switch effect {
            case .copy(let text, .osc52(let multiplexer)):
                Screen.writeRaw(Clipboard.osc52(text, through: multiplexer))
            case .redraw:
                screen.invalidate()
            case .notify(let style, let title, let body):
                Screen.notify(style, title: title, body: body)
            case .composeInEditor(let text):
                let outcome = Handover.compose(text, editor: environment.editor, screen: screen)
                apply(.resized(screen.resize()), urgent: true)
                apply(outcome, urgent: true)
            case .pageConversation:
                // The pager shows every line: the text above a long one's first lines is counted now.
                while layout.isCatchingUp { catchUp(bytes: .max) }
                let text = PagerText.render(state, layout: layout, theme: environment.theme)
                let failure = Handover.page(text, pager: environment.pager, screen: screen)
                apply(.resized(screen.resize()), urgent: true)
                if let failure { apply(failure, urgent: true) }
            case .quit:
                quitDeadline = quitDeadline ?? clock.now.advanced(by: Self.quitGrace)
            default:
                environment.perform(effect)
            }
        }
    }

    private mutating func draw() {
        let started = clock.now
        let frame = ScreenView.render(state, layout: layout)
        let cells = screen.draw(frame)
        if let trace = environment.traceFrame {
            trace(FrameRecord(time: environment.now(), duration: started.duration(to: clock.now), cellsWritten: cells))
        }
    }

    /// Counts some of a long text's lines above what was shown first (see `TranscriptLayout.catchUp`).
    private mutating func catchUp(bytes: Int) {
        let moved = layout.catchUp(bytes: bytes)
        if !moved.isEmpty { apply(.laidOut(moved)) }
    }

    /// When a paced frame may be drawn.
    private var nextFrame: ContinuousClock.Instant? { lastDraw?.advanced(by: Self.frameInterval) }

    /// Sleeps until a key, an inbox event, a signal, the next tick or a paced frame that is due.
    private mutating func wait() {
        var deadlines: [ContinuousClock.Instant] = []
        if state.needsTicks {
            let tick = nextTick ?? clock.now.advanced(by: AppState.tickInterval)
            nextTick = tick
            deadlines.append(tick)
        } else {
            nextTick = nil
        }
        if dirty, let frame = nextFrame { deadlines.append(frame) }
        if layout.isCatchingUp { deadlines.append(clock.now) }
        // Rounded up: a deadline less than a millisecond away must not become a busy poll.
        let timeout =
            deadlines.min().map { deadline -> Int32 in
                let remaining = clock.now.duration(to: deadline)
                return remaining <= .zero ? 0 : Int32((remaining + .nanoseconds(999_999)).wholeMilliseconds)
            } ?? -1
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: inbox.pipe.read, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&fds, 2, timeout)
        let posted = ready > 0 && fds[1].revents != 0
        if posted { inbox.drainWakeups() }
        if parley_take_termination() != 0 { apply(.terminationRequested, urgent: true) }
        if parley_take_resize() != 0 { apply(.resized(screen.resize()), urgent: true) }
        if ready > 0 && fds[0].revents & Int16(POLLIN) != 0 {
            urgent = true
            for input in screen.readKeys() {
                switch input {
                case .key(let key): apply(.key(key))
                case .paste(let text): apply(.pasted(text))
                case .mouse(let event): apply(.mouse(event))
                }
            }
        }
        if ready > 0 && fds[0].revents & Int16(POLLHUP | POLLERR) != 0 {
            // The terminal went away (the window closed): stop as on SIGHUP.
            apply(.terminationRequested)
        }
        // Counting goes on only while nothing else is waiting: a key is drawn before the next slice.
        if ready == 0 && layout.isCatchingUp { catchUp(bytes: TranscriptLayout.catchUpSlice) }
        // A tick due within a frame's time rides on the frame about to be drawn (a streaming reply's
        // batches come that often) instead of waking the loop again on its own; one that comes
        // early keeps the ticks' pace, one that comes late starts it afresh.
        if let tick = nextTick,
            clock.now >= tick || (dirty || posted) && clock.now.advanced(by: Self.frameInterval) >= tick
        {
            nextTick = max(tick, clock.now).advanced(by: AppState.tickInterval)
            apply(.ticked)
        }
    }
}
