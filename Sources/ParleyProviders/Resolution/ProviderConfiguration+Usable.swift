extension ProviderConfiguration {
    /// The model `preset` uses when none is asked for: the top-level model (which belongs to the
    /// top-level provider, not to one named by a flag), else its section's, else the preset's.
    public func defaultModel(for preset: ProviderPreset) -> String {
        let topLevel = provider.flatMap(self.preset(named:)) == preset ? model : nil
        return topLevel ?? providers[preset.name]?.model ?? preset.defaultModel
    }

    /// The providers that can be used now, as the model picker offers them: the config's default
    /// provider, those with a `[providers.NAME]` section (the user's own among them), hosted ones
    /// whose key variable is set (the preset's or the section's `key_env`), and the demo, in
    /// `presets`' order with the default first. A section with a `key_command` counts as
    /// configured: the command is not run to find out. Local servers not named here are found by
    /// `LocalServers.discover`.
    public func usableProviders(environment: [String: String]) -> [ProviderPreset] {
        let usable = presets.filter { preset in
            if preset.isDemo || preset.name == provider || providers[preset.name] != nil { return true }
            // The Responses API is OpenAI's other wire format: offered when asked for by name.
            guard preset.requiresKey, preset.name != "openai-responses" else { return false }
            return preset.keyVariables.contains { environment[$0]?.isEmpty == false }
        }
        let first = usable.filter { $0.name == provider }
        return first + usable.filter { $0.name != provider }
    }
}
