/// A named system prompt (`[presets.NAME]` in the config file), and perhaps the reasoning setting
/// that goes with it: what `--preset` and the app's preset picker choose.
public struct SystemPreset: Equatable, Sendable {
    public var name: String
    public var system: String
    public var reasoning: Reasoning?

    public init(name: String, system: String, reasoning: Reasoning? = nil) {
        self.name = name
        self.system = system
        self.reasoning = reasoning
    }
}
