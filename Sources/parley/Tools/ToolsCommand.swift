import ArgumentParser
import Foundation
import Logging
import ParleyConfig
import ParleyCore
import ParleyTools

struct ToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools",
        abstract: "Start the config file's MCP servers and list their tools.",
        discussion: """
            Starts each enabled [mcp.servers.NAME] of the config file (or the servers named, enabled \
            or not) at once, lists each one's tools with the first line of its description, and \
            stops them. A server that cannot be started or listed is reported on stderr with what \
            went wrong; its stderr is in parley.log. --json prints one JSON object for scripts: \
            {"servers":[{"name","ok","trust","enabled","tools":[{"name","description",\
            "input_schema"}]} or {"name","ok":false,"error"}]}.

            Exit codes: 0 every server listed, 1 a server failed, 2 usage error (a broken config \
            file, a name with no server), 130 interrupted.
            """)

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Argument(help: "The servers to list (default: every enabled one).")
    var names: [String] = []

    func run() async throws {
        let environment = ProcessEnvironment.variables
        let loaded = try AppConfiguration.loadForCommand(environment: environment)
        let servers = try Self.chosen(names, from: loaded.config.mcpServers)
        guard !servers.isEmpty else {
            Console.error(
                loaded.config.mcpServers.isEmpty
                    ? "No MCP servers in the config file: add one as [mcp.servers.NAME] with command = \"…\" "
                        + "(`parley config edit`; the example shows how).\n"
                    : "Every MCP server in the config file has enabled = false: name one to list it.\n")
            if json { Console.output(JSON.object(["servers": .array([])]).serialized() + "\n") }
            return
        }
        let listing = Task { await Self.list(servers, searchPath: environment["PATH"]) }
        let watcher = InterruptWatcher { listing.cancel() }
        let results = await listing.value
        watcher.stop()
        if listing.isCancelled { throw ExitCode(130) }
        if json {
            Console.output(Self.json(results).serialized() + "\n")
        } else {
            Console.output(Self.text(results))
        }
        for case (_, .failure(let failure)) in results { Console.error("error: \(failure)\n") }
        throw ExitCode(results.allSatisfy { (try? $0.tools.get()) != nil } ? 0 : 1)
    }

    /// The servers named, or else every enabled one; a name the file lacks is a usage error.
    static func chosen(_ names: [String], from servers: [String: ToolServerSettings]) throws(CommandFailure)
        -> [ToolServerSettings]
    {
        guard !names.isEmpty else { return servers.values.filter(\.enabled).sorted { $0.name < $1.name } }
        return try names.map { name throws(CommandFailure) in
            guard let server = servers[name] else {
                let known = servers.keys.sorted()
                let hint =
                    NearestName.to(name, among: known).map { " (did you mean '\($0)'?)" }
                    ?? (known.isEmpty ? "; the config file names none" : "; servers: " + known.joined(separator: ", "))
                throw .usage("no MCP server '\(name)' in the config file\(hint)")
            }
            return server
        }
    }

    typealias Listing = (settings: ToolServerSettings, tools: Result<[MCPTool], ToolServerFailure>)

    /// Each server started, listed and stopped, all at once; in the order given.
    static func list(_ servers: [ToolServerSettings], searchPath: String?) async -> [Listing] {
        let logger = Logger(label: "parley.mcp")
        return await withTaskGroup(of: (Int, Listing).self) { group in
            for (index, settings) in servers.enumerated() {
                group.addTask {
                    let server: MCPServer
                    do throws(ToolServerFailure) {
                        server = try await MCPServer.start(
                            settings, logger: logger, clientVersion: ParleyVersion.current, searchPath: searchPath)
                    } catch {
                        return (index, (settings, .failure(error)))
                    }
                    let tools: Result<[MCPTool], ToolServerFailure>
                    do throws(ToolServerFailure) {
                        tools = .success(try await server.tools())
                    } catch {
                        tools = .failure(error)
                    }
                    await server.shutdown()
                    return (index, (settings, tools))
                }
            }
            var listings: [(Int, Listing)] = []
            for await listing in group { listings.append(listing) }
            return listings.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Each server that answered: its name, how far it is trusted, and its tools.
    static func text(_ results: [Listing]) -> String {
        var blocks: [String] = []
        for case (let settings, .success(let tools)) in results {
            var notes = [settings.trust == .always ? "trusted: calls run without asking" : "asks before each call"]
            if !settings.enabled { notes.append("disabled: offered only when named") }
            var lines = ["\(settings.name) (\(notes.joined(separator: "; ")))"]
            let width = tools.map(\.name.count).max() ?? 0
            lines += tools.map { tool in
                let name = tool.name.padding(toLength: width, withPad: " ", startingAt: 0)
                return "  " + (tool.summary.isEmpty ? tool.name : "\(name)  \(tool.summary)")
            }
            if tools.isEmpty { lines.append("  (no tools)") }
            blocks.append(lines.joined(separator: "\n") + "\n")
        }
        return blocks.joined(separator: "\n")
    }

    static func json(_ results: [Listing]) -> JSON {
        .object([
            "servers": .array(
                results.map { settings, tools in
                    switch tools {
                    case .success(let tools):
                        return [
                            "name": .string(settings.name), "ok": true, "trust": .string(settings.trust.rawValue),
                            "enabled": .bool(settings.enabled),
                            "tools": .array(
                                tools.map {
                                    [
                                        "name": .string($0.name), "description": .string($0.description),
                                        "input_schema": $0.inputSchema,
                                    ]
                                }),
                        ]
                    case .failure(let failure):
                        return ["name": .string(settings.name), "ok": false, "error": .string(failure.description)]
                    }
                })
        ])
    }
}
