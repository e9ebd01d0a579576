import ParleyProviders

enum ProviderNames {
    static let list = ProviderPreset.all.map(\.name).joined(separator: ", ")
}
