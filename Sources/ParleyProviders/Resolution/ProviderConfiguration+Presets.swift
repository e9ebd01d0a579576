extension ProviderConfiguration {
    /// Every provider that can be named: the built-in ones, then the user's own (`[providers.NAME]`
    /// with a `kind`) by name, then the demo.
    public var presets: [ProviderPreset] {
        let own = providers.keys.sorted().compactMap(ownPreset(named:))
        return ProviderPreset.all.filter { !$0.isDemo } + own + [.demo]
    }

    /// The provider `name` names (in any case), built-in or the user's own.
    public func preset(named name: String) -> ProviderPreset? {
        ProviderPreset.named(name) ?? ownPreset(named: name.lowercased())
    }

    /// A provider of the user's own: it speaks its `kind`'s API (wire format and reasoning fields),
    /// at its `base_url` (else its kind's), with the key in its `key_env` (else, at its kind's own
    /// address, its kind's variables). At an address of its own and with no `key_env`, it is tried
    /// without a key, as a local server or a proxy that adds one would be.
    func ownPreset(named name: String) -> ProviderPreset? {
        guard ProviderPreset.named(name) == nil, let settings = providers[name], let kindName = settings.kind,
            let kind = ProviderPreset.named(kindName), !kind.isDemo
        else { return nil }
        let atKindsAddress = settings.baseURL == nil
        let keyVariables = settings.keyVariable.map { [$0] } ?? (atKindsAddress ? kind.keyVariables : [])
        return ProviderPreset(
            name: name, displayName: name, format: kind.format, defaultBaseURL: settings.baseURL ?? kind.defaultBaseURL,
            baseURLVariable: nil, keyVariables: keyVariables, defaultModel: settings.model ?? kind.defaultModel,
            requiresKey: atKindsAddress ? kind.requiresKey : settings.keyVariable != nil, dialect: kind.dialect,
            kind: kind.name)
    }

    /// A provider of the user's own at its own address, with no `model`: its server's own model is
    /// wanted (from its models list), not its kind's usual one.
    func modelIsAGuess(for preset: ProviderPreset) -> Bool {
        guard let settings = providers[preset.name], settings.kind != nil else { return false }
        return settings.model == nil && settings.baseURL != nil
    }
}
