import NIOCore
import NIOHTTP1
import ParleyProviders

/// Reads one request at a time from a connection and plays its scripted response, one step
/// at a time on the connection's event loop. Like a real server, it writes only while the
/// connection is writable: once the client stops reading and the socket's buffers fill, the
/// script waits (see `TestServer.writersWaiting`) until the client reads again.
final class ScriptedResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: TestServerState
    private var requestHead: HTTPRequestHead?
    private var requestBody: [UInt8] = []
    private var response = ScriptedResponse()
    private var nextStep = 0
    private var headSent = false
    private var pendingStep: Scheduled<Void>?
    private var waitingForWritability = false

    init(state: TestServerState) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestHead = head
            requestBody = []
        case .body(let buffer):
            requestBody += buffer.readableBytesView
        case .end:
            guard let head = requestHead else { return }
            let request = state.record(
                method: head.method.rawValue, target: head.uri,
                headers: head.headers.map { HTTPHeader($0.name, $0.value) }, body: requestBody)
            response = state.respond(request)
            nextStep = 0
            headSent = false
            play(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pendingStep?.cancel()
        pendingStep = nil
        if waitingForWritability {
            waitingForWritability = false
            state.writerWaiting(false)
        }
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if waitingForWritability, context.channel.isWritable {
            waitingForWritability = false
            state.writerWaiting(false)
            play(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    private func play(context: ChannelHandlerContext) {
        pendingStep = nil
        while nextStep < response.body.count {
            guard context.channel.isWritable else {
                waitingForWritability = true
                state.writerWaiting(true)
                return
            }
            let step = response.body[nextStep]
            nextStep += 1
            switch step {
            case .bytes(let bytes):
                sendHeadIfNeeded(context: context)
                if !bytes.isEmpty {
                    let written = context.eventLoop.makePromise(of: Void.self)
                    let state = self.state
                    let count = bytes.count
                    written.futureResult.whenSuccess { state.bodyWritten(count) }
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: written)
                }
                context.flush()
            case .pause(let duration):
                pendingStep = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(duration)) {
                    self.play(context: context)
                }
                return
            case .stall:
                return
            case .drop:
                context.close(promise: nil)
                return
            case .wait(let gate):
                let loop = context.eventLoop
                let resume = NIOLoopBound((self, context), eventLoop: loop)
                gate.whenOpen {
                    loop.execute {
                        let (responder, context) = resume.value
                        if context.channel.isActive { responder.play(context: context) }
                    }
                }
                return
            }
        }
        sendHeadIfNeeded(context: context)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func sendHeadIfNeeded(context: ChannelHandlerContext) {
        guard !headSent else { return }
        headSent = true
        var headers = HTTPHeaders()
        for header in response.headers { headers.add(name: header.name, value: header.value) }
        let head = HTTPResponseHead(
            version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
    }
}
