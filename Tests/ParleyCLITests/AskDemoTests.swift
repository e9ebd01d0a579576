import Foundation
import Testing

@Suite("parley ask with nothing configured")
struct AskDemoTests {
    @Test("a new user with no key and no network gets a streamed reply from the demo, which says so")
    func demoReply() async throws {
        let result = try await ParleyProcess.run(["ask", "hello"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("This is **Parley's demo provider**"))
        #expect(result.stdout.contains("“hello”"))
        #expect(result.stdout.hasSuffix("\n"))
        #expect(result.stderr.contains("[demo · demo (offline) | in ~"))
        #expect(!result.stdout.contains("I am Parley's built-in demo"), "thinking stays off stdout")
    }

    @Test("--thinking shows the demo's reasoning on stderr")
    func demoThinking() async throws {
        let result = try await ParleyProcess.run(["ask", "--thinking", "hello"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("I am Parley's built-in demo"))
        #expect(!result.stdout.contains("I am Parley's built-in demo"))
    }

    @Test("the prompt can come from standard input")
    func promptFromStdin() async throws {
        let result = try await ParleyProcess.run(["ask"], stdin: "Summarise this file\nline two\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains("“Summarise this file”"))
    }

    @Test("a reply written to a full disk is not a silent success: exit 1, and stderr says why; the turn is saved")
    func fullDisk() async throws {
        let home = ParleyProcess.dataFolder()
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let result = try await ParleyProcess(
            ["ask", "hello"], environment: ["PARLEY_HOME": home], standardOutput: full
        ).result()
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: could not write to standard output: no space left on device."))
        let listed = try await ParleyProcess.run(["list"], environment: ["PARLEY_HOME": home])
        #expect(listed.stdout.contains("2 msgs"))
    }

    @Test("a reader that closes the pipe early is not an error: exit 0, nothing said")
    func closedPipe() async throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        let reader = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
        let result = try await ParleyProcess(["ask", "hello"], standardOutput: reader).result()
        #expect(result.status == 0)
        #expect(!result.stderr.contains("error"))
    }

    @Test("--events prints only JSON lines: start, one round around the content, usage, stop, metrics")
    func demoEvents() async throws {
        let result = try await ParleyProcess.run(["ask", "--events", "hello"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == result.eventLines.count, "every stdout line is a JSON object")
        let types = result.eventTypes
        #expect(types.first == "start")
        #expect(Array(types.suffix(3)) == ["usage", "stop", "metrics"])
        #expect(types.dropFirst().first == "round_start")
        #expect(types.dropLast(3).last == "round_end")
        #expect(Set(types.dropFirst(2).dropLast(4)) == ["thinking", "text"])
        #expect(lines.first == #"{"type":"start","provider":"demo","model":"demo"}"#)
        #expect(lines.dropFirst().first == #"{"type":"round_start","round":1}"#)
        #expect(result.eventLines.last(where: { $0["type"] as? String == "usage" })?["estimated"] as? Bool == true)
        #expect(lines.dropLast().last == #"{"type":"stop","reason":"end_turn","raw":"stop"}"#)
    }
}

@Suite("parley ask refuses bad input with a clear message and exit code 2")
struct AskUsageTests {
    @Test(
        "usage errors",
        arguments: [
            (["ask", "--provider", "opneai", "hi"], "unknown provider \"opneai\""),
            (["ask", "--max-tokens", "0", "hi"], "--max-tokens must be at least 1"),
            (["ask", "--temperature", "7", "hi"], "--temperature must be between 0 and 2"),
            (["ask", "--base-url", "localhost:8080", "hi"], "is not an http:// or https:// URL"),
            (["ask", "--no-such-flag", "hi"], "Unknown option '--no-such-flag'"),
        ])
    func usageError(arguments: [String], message: String) async throws {
        let result = try await ParleyProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message))
        #expect(result.stdout.isEmpty)
    }

    @Test("an empty prompt on standard input is a usage error")
    func emptyStdin() async throws {
        let result = try await ParleyProcess.run(["ask"], stdin: "  \n")
        #expect(result.status == 2)
        #expect(result.stderr.contains("the prompt on standard input is empty"))
    }

    @Test("parley --version prints the version and nothing else")
    func version() async throws {
        let result = try await ParleyProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^parley \d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil)
        #expect(result.stderr.isEmpty)
    }

    @Test("--help describes ask, its options and its exit codes")
    func help() async throws {
        let result = try await ParleyProcess.run(["ask", "--help"])
        #expect(result.status == 0)
        for text in ["--provider", "--events", "--thinking", "--base-url", "Exit codes"] {
            #expect(result.stdout.contains(text))
        }
    }
}

@Suite("parley ask with a hosted provider but no key")
struct AskMissingKeyTests {
    @Test("it fails at once, naming the variable to set, and exits 1")
    func plain() async throws {
        let result = try await ParleyProcess.run(["ask", "--provider", "anthropic", "hi"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Anthropic needs an API key: set ANTHROPIC_API_KEY"))
        #expect(result.stdout.isEmpty)
    }

    @Test("with --events the failure is an auth error event followed by stop and metrics")
    func events() async throws {
        let result = try await ParleyProcess.run(["ask", "--events", "--provider", "openai", "hi"])
        #expect(result.status == 1)
        #expect(result.eventTypes == ["start", "error", "usage", "stop", "metrics"])
        #expect(result.eventLines[1]["kind"] as? String == "auth")
        #expect(result.eventLines[3]["reason"] as? String == "error")
        #expect(result.eventLines[4]["ttft_ms"] is NSNull, "no text arrived, so no time to it")
    }
}
