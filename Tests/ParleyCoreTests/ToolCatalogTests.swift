import ParleyCore
import Testing

/// The tools of every server under names no two share, each leading back to its server.
@Suite("The tool catalog: one name each, and where each runs")
struct ToolCatalogTests {
    static func tool(_ name: String) -> ToolDefinition { ToolDefinition(name: name, description: "") }

    @Test("a name two servers share is told apart by the server's; the others keep theirs")
    func sharedNames() {
        let catalog = ToolCatalog([
            ToolCatalog.Listing(server: "time", trusted: false, tools: [Self.tool("now"), Self.tool("convert")]),
            ToolCatalog.Listing(server: "clock", trusted: true, tools: [Self.tool("now")]),
        ])
        #expect(catalog.tools.map(\.name) == ["time_now", "convert", "clock_now"])
        #expect(catalog.tool(named: "clock_now")?.server == "clock")
        #expect(catalog.tool(named: "clock_now")?.tool == "now", "the server is called by its own name")
        #expect(catalog.tool(named: "clock_now")?.trusted == true)
        #expect(catalog.tool(named: "now") == nil)
    }

    @Test("a tool offered to one provider only is in its requests and nobody else's")
    func providerOnly() {
        let catalog = ToolCatalog([
            ToolCatalog.Listing(server: "parley", trusted: false, tools: [Self.tool("clock")], provider: "demo"),
            ToolCatalog.Listing(server: "docs", trusted: false, tools: [Self.tool("search")]),
        ])
        #expect(catalog.definitions(for: "demo").map(\.name) == ["clock", "search"])
        #expect(catalog.definitions(for: "openai").map(\.name) == ["search"])
        #expect(ToolCatalog().isEmpty)
    }

    @Test("a server listing one name twice offers it once")
    func duplicateWithinServer() {
        let catalog = ToolCatalog([
            ToolCatalog.Listing(server: "odd", trusted: false, tools: [Self.tool("x"), Self.tool("x")])
        ])
        #expect(catalog.tools.count == 1)
    }
}
