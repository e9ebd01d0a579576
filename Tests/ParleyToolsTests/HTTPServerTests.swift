import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@testable import ParleyTools

/// A Streamable HTTP MCP server scripted on the test server: a session id at initialize, a
/// bearer token required, answers as one JSON body or as an event stream cut into small pieces
/// with a notification before the answer.
struct ScriptedMCPServer {
    var streams = false

    static let token = "Bearer t0ken"

    func respond(_ request: RecordedRequest) -> ScriptedResponse {
        guard request.header("Authorization") == Self.token else {
            return .whole("missing or wrong token\nsecond line", status: 401, contentType: "text/plain")
        }
        if request.method == "DELETE" { return .whole("", contentType: "text/plain") }
        guard let message = try? JSON.parse(request.body), let method = message["method"]?.string else {
            return .whole("not JSON-RPC", status: 400, contentType: "text/plain")
        }
        guard let id = message["id"]?.serialized() else {
            return ScriptedResponse(status: 202, headers: [HTTPHeader("Content-Length", "0")])
        }
        func answer(_ result: String, headers: [HTTPHeader] = []) -> ScriptedResponse {
            let json = #"{"jsonrpc":"2.0","id":\#(id),"result":\#(result)}"#
            guard streams else { return .whole(json, headers: headers) }
            let progress =
                #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"working"}}"#
            var response = ScriptedResponse.replay(
                Array(": comment\r\nevent: message\r\ndata: \(progress)\r\n\r\ndata: \(json)\r\n\r\n".utf8),
                pieces: 1...9,
                pause: .zero)
            response.headers += headers
            return response
        }
        switch method {
        case "initialize":
            let version = message["params"]?["protocolVersion"]?.serialized() ?? "null"
            return answer(
                #"{"protocolVersion":\#(version),"capabilities":{"tools":{}},"serverInfo":{"name":"scripted","version":"1"}}"#,
                headers: [HTTPHeader("Mcp-Session-Id", "session-1")])
        case "tools/list":
            return answer(
                #"{"tools":[{"name":"echo","description":"Says it back.","inputSchema":{"type":"object"}}]}"#)
        case "tools/call":
            let arguments = message["params"]?["arguments"] ?? [:]
            switch message["params"]?["name"]?.string {
            case "hang":
                return ScriptedResponse(headers: [HTTPHeader("Content-Type", "text/event-stream")], body: [.stall])
            case "forget": return .whole("session not found", status: 404, contentType: "text/plain")
            case "big":
                return answer(#"{"content":[{"type":"text","text":"\#(String(repeating: "x", count: 3000))"}]}"#)
            default:
                let text = arguments["text"]?.serialized() ?? "\"\""
                return answer(#"{"content":[{"type":"text","text":\#(text)}]}"#)
            }
        case "ping":
            return answer("{}")
        default:
            return .whole(#"{"jsonrpc":"2.0","id":\#(id),"error":{"code":-32601,"message":"no"}}"#)
        }
    }

    static func settings(
        _ server: TestServer, token: String = token, timeout: Duration = .seconds(30), limit: Int = 1 << 20
    )
        -> ToolServerSettings
    {
        ToolServerSettings(
            name: "docs", connection: .http(url: server.baseURL + "/mcp", headers: ["Authorization": token]),
            timeout: timeout, maxMessageBytes: limit)
    }
}

@Suite(
    "A Streamable HTTP server: one session, every request POSTed, answers as JSON or events", .timeLimit(.minutes(10)))
struct HTTPServerTests {
    @Test("answers as JSON bodies: tools listed and called; the session id and version go with each later request")
    func json() async throws {
        try await TestServer.serving(ScriptedMCPServer().respond) { http in
            let server = try await start(ScriptedMCPServer.settings(http))
            #expect(try await server.tools().map(\.name) == ["echo"])
            #expect(try await server.call(tool: "echo", argumentsJSON: #"{"text": "over http"}"#).text == "over http")
            await server.shutdown()
            // The DELETE is sent before shutdown returns; a busy server may record it a moment later.
            #expect(await eventually { http.requests.count == 5 })
            let requests = http.requests
            #expect(requests.map(\.method) == ["POST", "POST", "POST", "POST", "DELETE"])
            #expect(
                requests.allSatisfy { $0.header("Authorization") == ScriptedMCPServer.token && $0.target == "/mcp" })
            #expect(requests[0].header("Mcp-Session-Id") == nil)
            #expect(requests.dropFirst().allSatisfy { $0.header("Mcp-Session-Id") == "session-1" })
            #expect(requests.dropFirst(2).allSatisfy { $0.header("MCP-Protocol-Version") == "2025-11-25" })
            #expect(requests[0].header("Accept") == "application/json, text/event-stream")
        }
    }

    @Test("answers as event streams cut anywhere, a notification before the answer")
    func events() async throws {
        try await TestServer.serving(ScriptedMCPServer(streams: true).respond) { http in
            let server = try await start(ScriptedMCPServer.settings(http))
            #expect(try await server.tools().first?.summary == "Says it back.")
            #expect(try await server.call(tool: "echo", argumentsJSON: #"{"text": "streamed"}"#).text == "streamed")
            await server.shutdown()
        }
    }

    @Test("a wrong token: the status and the server's first line, and where to look")
    func unauthorized() async throws {
        try await TestServer.serving(ScriptedMCPServer().respond) { http in
            let error = await failure { try await start(ScriptedMCPServer.settings(http, token: "Bearer nope")) }
            #expect(error?.reason == .httpStatus(401, detail: "Unauthorized: missing or wrong token"))
            #expect(
                error?.description
                    == "MCP server 'docs' answered HTTP 401 Unauthorized: missing or wrong token; check its headers in the config file"
            )
        }
    }

    @Test("nobody listening: cannot be reached, connection refused")
    func unreachable() async throws {
        // Another loopback address than the test servers' (a port one of them freed may be taken
        // by the next), and a port nobody here listens on.
        let settings = ToolServerSettings(name: "docs", connection: .http(url: "http://127.0.0.2:1/mcp", headers: [:]))
        let error = await failure { try await start(settings) }
        #expect(error?.reason == .unreachable(url: "http://127.0.0.2:1/mcp", detail: "connection refused"))
    }

    @Test("a call that never ends: cancelled at its limit, its connection closed, the session kept")
    func hang() async throws {
        try await TestServer.serving(ScriptedMCPServer(streams: true).respond) { http in
            let server = try await start(ScriptedMCPServer.settings(http))
            let error = await failure {
                try await server.call(tool: "hang", argumentsJSON: "{}", timeout: .milliseconds(200))
            }
            #expect(error?.reason == .timedOut(during: "hang", after: .milliseconds(200), serverStopped: false))
            #expect(await http.waitForConnectionsClosed(1))
            #expect(try await server.call(tool: "echo", argumentsJSON: #"{"text": "still"}"#).text == "still")
            await server.shutdown()
        }
    }

    @Test("a session the server forgot (404): said, and a new session begins when next used")
    func sessionEnded() async throws {
        try await TestServer.serving(ScriptedMCPServer().respond) { http in
            let server = try await start(ScriptedMCPServer.settings(http))
            let error = await failure { try await server.call(tool: "forget", argumentsJSON: "{}") }
            #expect(error?.reason == .sessionEnded)
            #expect(try await server.call(tool: "echo", argumentsJSON: #"{"text": "anew"}"#).text == "anew")
            let initializes = http.requests.filter { (try? JSON.parse($0.body))?["method"] == "initialize" }
            #expect(initializes.count == 2)
            await server.shutdown()
        }
    }

    @Test("an answer over the size cap, as JSON or as events, is refused")
    func tooLarge() async throws {
        for streams in [false, true] {
            try await TestServer.serving(ScriptedMCPServer(streams: streams).respond) { http in
                let server = try await start(ScriptedMCPServer.settings(http, limit: 2048))
                let error = await failure { try await server.call(tool: "big", argumentsJSON: "{}") }
                #expect(error?.reason == .messageTooLarge(limit: 2048), "streams: \(streams)")
                await server.shutdown()
            }
        }
    }
}

@Suite(
    "The Python MCP SDK's own Streamable HTTP server, nobody here wrote",
    // Installed with mcp-server-time by .ci/run; by hand: python3 -m venv .venv && .venv/bin/pip install mcp-server-time
    .enabled(if: MCPServers.timeServer != nil, "needs the .venv that .ci/run makes"))
struct ReferenceHTTPServerTests {
    @Test("its tools listed and called, over event streams and over JSON bodies", arguments: [false, true])
    func tools(json: Bool) async throws {
        let reference = try #require(try MCPServers.startReferenceHTTPServer(json: json))
        defer { reference.stop() }
        let server = try await start(
            ToolServerSettings(name: "reference", connection: .http(url: reference.url, headers: [:])))
        #expect(try await server.tools().map(\.name).sorted() == ["add", "echo"])
        #expect(try await server.call(tool: "echo", argumentsJSON: #"{"text": "hello"}"#).text == "hello")
        #expect(try await server.call(tool: "add", argumentsJSON: #"{"a": 2, "b": 40}"#).text == "42")
        let wrong = try await server.call(tool: "add", argumentsJSON: #"{"a": "two"}"#)
        #expect(wrong.isError)
        await server.shutdown()
    }
}
