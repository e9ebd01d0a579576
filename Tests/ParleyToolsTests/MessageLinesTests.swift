import Foundation
import ParleyTestSupport
import Testing

@testable import ParleyTools

@Suite("Reading a stdio server's messages, one a line")
struct MessageLinesTests {
    static let stream = Array(
        (#"{"jsonrpc":"2.0","id":1,"result":{}}"# + "\n\n" + #"[{"a":1}]"# + "\r\n" + #"  {"b":"é"}  "# + "\n{\"c\"")
            .utf8)

    static func messages(cutAt cuts: [Int], limit: Int = 1 << 20) throws -> [String] {
        var lines = MessageLines(limit: limit)
        var found: [Data] = []
        var start = 0
        for end in cuts + [stream.count] where end >= start {
            try stream[start..<end].withUnsafeBytes { found += try lines.take($0) }
            start = end
        }
        return found.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("each whole line is a message, blank lines skipped, wherever the bytes are cut")
    func everyOffset() throws {
        let whole = try Self.messages(cutAt: [])
        #expect(whole == [#"{"jsonrpc":"2.0","id":1,"result":{}}"#, #"[{"a":1}]"#, #"{"b":"é"}"#])
        for offset in 0...Self.stream.count {
            #expect(try Self.messages(cutAt: [offset]) == whole, "cut at \(offset)")
        }
        #expect(try Self.messages(cutAt: Array(0...Self.stream.count)) == whole, "one byte at a time")
    }

    @Test("a line past the limit is refused before it is held, however it arrives")
    func tooLarge() {
        let line = Array(("{\"x\":\"" + String(repeating: "y", count: 100) + "\"}\n").utf8)
        for cut in [0, 50, 107] {
            var lines = MessageLines(limit: 64)
            #expect(throws: MessageLines.Problem.tooLarge) {
                try line[..<cut].withUnsafeBytes { _ = try lines.take($0) }
                try line[cut...].withUnsafeBytes { _ = try lines.take($0) }
            }
        }
    }

    @Test("a line of text is not a message: its start is kept for the error")
    func notJSON() {
        var lines = MessageLines(limit: 1 << 20)
        #expect(throws: MessageLines.Problem.notJSON(excerpt: "Server ready")) {
            try Array("Server ready\n".utf8).withUnsafeBytes { _ = try lines.take($0) }
        }
    }
}

@Suite("Finding a server's command")
struct CommandPathTests {
    @Test("a bare name is looked for on PATH in order; a path is taken as it is")
    func lookup() throws {
        let folder = ScratchFolders.path("path")
        try FileManager.default.createDirectory(atPath: folder + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/b", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: folder + "/a/server", contents: Data("x".utf8)))
        #expect(
            FileManager.default.createFile(
                atPath: folder + "/b/server", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755]
            ))
        #expect(CommandPath.resolve("server", path: "\(folder)/a:\(folder)/b") == .executable(folder + "/b/server"))
        #expect(CommandPath.resolve("server", path: "\(folder)/a") == .notExecutable(folder + "/a/server"))
        #expect(CommandPath.resolve("server", path: nil) == .notFound)
        #expect(CommandPath.resolve(folder + "/b/server", path: nil) == .executable(folder + "/b/server"))
        #expect(CommandPath.resolve(folder + "/a", path: nil) == .notExecutable(folder + "/a"))
    }
}

@Suite("Reading a Streamable HTTP server's event stream for its messages")
struct EventStreamMessagesTests {
    static let stream = Array(
        (": keep-alive\r\nevent: message\r\nid: 1\r\ndata: {\"a\":1}\r\n\r\n" + "data:{\"b\":\n" + "data: 2}\n\n"
            + "retry: 100\n\n" + "data: {\"c\":3}").utf8)

    static func messages(cutAt cuts: [Int], limit: Int = 1 << 20) throws -> [String] {
        var events = EventStreamMessages(limit: limit)
        var found: [Data] = []
        var start = 0
        for end in cuts + [stream.count] where end >= start {
            try stream[start..<end].withUnsafeBytes { found += try events.take($0) }
            start = end
        }
        return found.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("each event's data is a message, lines joined, whatever else it holds and wherever it is cut")
    func everyOffset() throws {
        let whole = try Self.messages(cutAt: [])
        // (The last event never ended: it is not a message.)
        #expect(whole == [#"{"a":1}"#, "{\"b\":\n2}"])
        for offset in 0...Self.stream.count {
            #expect(try Self.messages(cutAt: [offset]) == whole, "cut at \(offset)")
        }
    }

    @Test("data past the limit is refused")
    func tooLarge() {
        var events = EventStreamMessages(limit: 16)
        #expect(throws: MessageLines.Problem.tooLarge) {
            try Array("data: 0123456789\ndata: 0123456789\n\n".utf8).withUnsafeBytes { _ = try events.take($0) }
        }
    }
}
