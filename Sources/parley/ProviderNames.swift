import ParleyProviders

enum ProviderNames {
    /// For help texts, which are written before any config file is read.
    static let list =
        ProviderPreset.all.map(\.name).joined(separator: ", ") + ", or one of your own ([providers.NAME] with a kind)"
}
