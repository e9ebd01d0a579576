import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@testable import ParleyTools

@Suite("A well-behaved tool server: its tools listed and called")
struct MCPServerTests {
    @Test("its tools, with their descriptions' first lines and input schemas")
    func tools() async throws {
        let server = try await start(fake())
        let tools = try await server.tools()
        #expect(
            tools.map(\.name) == [
                "echo", "fail", "picture", "big", "environment", "pid", "hang", "freeze", "crash", "malformed",
            ])
        let echo = try #require(tools.first)
        #expect(echo.server == "fake")
        #expect(echo.summary == "Says its text back.")
        #expect(
            echo.inputSchema
                == ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"]])
        await server.shutdown()
    }

    @Test("a call's text, a tool's own failure as an outcome, and pictures described, not carried")
    func calls() async throws {
        let server = try await start(fake())
        let echo = try await server.call(tool: "echo", argumentsJSON: #"{"text": "hello, tools"}"#)
        #expect(echo.text == "hello, tools")
        #expect(!echo.isError)
        #expect(echo.duration > .zero)
        let failed = try await server.call(tool: "fail", argumentsJSON: "")
        #expect(failed.isError)
        #expect(failed.text == "the tool failed on purpose")
        #expect(
            try await server.call(tool: "picture", argumentsJSON: "{}").text == "[image: image/png, 8 bytes]\na picture"
        )
        await server.shutdown()
    }

    @Test("an unknown tool is refused by the server; arguments that are not an object by Parley")
    func mistakes() async throws {
        let server = try await start(fake())
        let unknown = await failure { try await server.call(tool: "nope", argumentsJSON: "{}") }
        #expect(unknown?.reason == .refused(during: "nope", message: "Unknown tool: nope"))
        let list = await failure { try await server.call(tool: "echo", argumentsJSON: "[1, 2]") }
        #expect(list?.reason == .badArguments(tool: "echo", detail: "they are JSON, but not an object ({…})"))
        let broken = await failure { try await server.call(tool: "echo", argumentsJSON: #"{"text": "#) }
        guard case .badArguments = broken?.reason else {
            Issue.record("got \(String(describing: broken))")
            return
        }
        await server.shutdown()
    }

    @Test("the server gets only the environment its entry names: no PATH, no HOME, no keys")
    func environment() async throws {
        let server = try await start(fake(environment: ["TZ": "UTC", "ONLY_THIS": "1"]))
        let names = Set(try await server.call(tool: "environment", argumentsJSON: "").text.split(separator: " "))
        // (Python itself may add LC_CTYPE when the locale is C: PEP 538.)
        #expect(names.subtracting(["LC_CTYPE"]) == ["TZ", "ONLY_THIS"])
        await server.shutdown()
    }

    @Test("shutdown closes stdin and the process is gone when it returns")
    func shutdown() async throws {
        let server = try await start(fake())
        let pid = try #require(Int32(try await server.call(tool: "pid", argumentsJSON: "").text))
        await server.shutdown()
        #expect(kill(pid, 0) != 0)
    }
}

@Suite(
    "The reference server mcp-server-time, nobody here wrote",
    // Installed by .ci/run; by hand: python3 -m venv .venv && .venv/bin/pip install mcp-server-time
    .enabled(if: MCPServers.timeServer != nil, "needs .venv/bin/mcp-server-time (see .ci/run)"))
struct ReferenceServerTests {
    static func settings() -> ToolServerSettings {
        ToolServerSettings(
            name: "time",
            connection: .stdio(
                command: MCPServers.timeServer ?? "", arguments: ["--local-timezone", "UTC"], environment: ["TZ": "UTC"]
            ))
    }

    // One server for every question: each start costs the machine a second and more of CPU.
    @Test(
        "lists get_current_time and convert_time; answers with the time; a zone that does not exist is the tool's error"
    )
    func reference() async throws {
        let server = try await start(Self.settings())
        let tools = try await server.tools()
        #expect(tools.map(\.name).sorted() == ["convert_time", "get_current_time"])
        let current = try #require(tools.first { $0.name == "get_current_time" })
        #expect(current.inputSchema["required"] == ["timezone"])
        #expect(current.inputSchema["properties"]?["timezone"]?["type"] == "string")

        let outcome = try await server.call(tool: "get_current_time", argumentsJSON: #"{"timezone": "Europe/Paris"}"#)
        #expect(!outcome.isError)
        let answer = try JSON.parse(outcome.text)
        #expect(answer["timezone"] == "Europe/Paris")
        #expect(answer["datetime"]?.string?.isEmpty == false)

        let unknown = try await server.call(tool: "get_current_time", argumentsJSON: #"{"timezone": "Nowhere/Land"}"#)
        #expect(unknown.isError)
        #expect(unknown.text.contains("Nowhere/Land"))
        do {
            let missing = try await server.call(tool: "get_current_time", argumentsJSON: "{}")
            #expect(missing.isError)
        } catch {
            #expect(error.description.contains("get_current_time"))
        }
        await server.shutdown()
    }
}
