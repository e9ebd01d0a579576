import Foundation
import ParleyTestSupport
import Testing

@Suite("parley tools: the config file's MCP servers and their tools")
struct ToolsCommandTests {
    /// A config with the fake server (Tests/Fixtures/mcp) well and broken, and one disabled.
    static func home() throws -> ConfigHome {
        try ConfigHome(
            """
            [mcp.servers.fake]
            command = "\(MCPServers.python)"
            args = ["\(MCPServers.fake)"]
            trust = "always"

            [mcp.servers.broken]
            command = "\(MCPServers.python)"
            args = ["\(MCPServers.fake)", "exit-at-once"]

            [mcp.servers.spare]
            command = "\(MCPServers.python)"
            args = ["\(MCPServers.fake)"]
            enabled = false
            """)
    }

    @Test("each enabled server's tools with their first lines; a broken one on stderr, from its own words; exit 1")
    func listing() async throws {
        let home = try Self.home()
        let result = try await ParleyProcess.run(["tools"], environment: home.environment())
        #expect(result.status == 1)
        #expect(
            result.stdout.hasPrefix("fake (trusted: calls run without asking)\n  echo         Says its text back.\n"))
        #expect(result.stdout.contains("  malformed    Answers wrongly.\n"))
        #expect(!result.stdout.contains("spare"))
        #expect(
            result.stderr == """
                error: MCP server 'broken' exited with status 3 while starting; its stderr ended with:
                  starting fake server
                  fatal: no configuration found

                """)
        let log = try String(contentsOfFile: home.folder + "/parley.log", encoding: .utf8)
        #expect(log.contains("stderr: fatal: no configuration found mcp_server=broken"))
    }

    @Test("servers named are listed even when disabled; --json for scripts; exit 0 when all answer")
    func json() async throws {
        let home = try Self.home()
        let result = try await ParleyProcess.run(["tools", "--json", "spare"], environment: home.environment())
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let servers = try #require(object["servers"] as? [[String: Any]])
        #expect(servers.count == 1)
        #expect(servers[0]["name"] as? String == "spare")
        #expect(servers[0]["ok"] as? Bool == true)
        #expect(servers[0]["enabled"] as? Bool == false)
        #expect(servers[0]["trust"] as? String == "ask")
        let tools = try #require(servers[0]["tools"] as? [[String: Any]])
        #expect(tools.first?["name"] as? String == "echo")
        #expect(tools.first?["description"] as? String == "Says its text back.\nA second line nobody lists.")
        #expect((tools.first?["input_schema"] as? [String: Any])?["required"] as? [String] == ["text"])
    }

    @Test("a failed server in --json carries its error")
    func jsonFailure() async throws {
        let home = try Self.home()
        let result = try await ParleyProcess.run(["tools", "--json", "broken"], environment: home.environment())
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let server = try #require((object["servers"] as? [[String: Any]])?.first)
        #expect(server["ok"] as? Bool == false)
        #expect(
            (server["error"] as? String)?.hasPrefix("MCP server 'broken' exited with status 3 while starting") == true)
    }

    @Test("a name with no server is a usage error with the nearest; no servers at all is said, exit 0")
    func mistakes() async throws {
        let home = try Self.home()
        let typo = try await ParleyProcess.run(["tools", "sprae"], environment: home.environment())
        #expect(typo.status == 2)
        #expect(typo.stderr == "error: no MCP server 'sprae' in the config file (did you mean 'spare'?)\n")
        let none = try await ParleyProcess.run(["tools"])
        #expect(none.status == 0)
        #expect(none.stdout.isEmpty)
        #expect(none.stderr.hasPrefix("No MCP servers in the config file: add one as [mcp.servers.NAME]"))
    }
}
