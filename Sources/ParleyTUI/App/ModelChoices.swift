import ParleyCore

/// What the pickers offer: the providers that can be used now, each with the models it lists
/// (asked for when the model picker opens, kept for the session once listed), and the config's
/// system-prompt presets.
public struct ModelChoices: Equatable, Sendable {
    public struct Provider: Equatable, Sendable {
        /// The preset's name: "ollama".
        public var name: String
        /// The model it uses when none is picked; offered while its list is loading or unavailable.
        public var model: String

        public init(name: String, model: String) {
            self.name = name
            self.model = model
        }
    }

    /// What is known of a provider's models.
    public enum Listing: Equatable, Sendable {
        case loading
        /// Why they could not be listed, in plain words.
        case failed(String)
        case listed([String])
    }

    public internal(set) var providers: [Provider]
    public internal(set) var listings: [String: Listing]
    public let presets: [SystemPreset]

    public init(providers: [Provider] = [], listings: [String: Listing] = [:], presets: [SystemPreset] = []) {
        var seen: Set<String> = []
        self.providers = providers.filter { seen.insert($0.name).inserted }
        self.listings = listings
        self.presets = presets
    }

    public func provider(named name: String) -> Provider? { providers.first { $0.name == name } }

    /// Adds a provider not offered yet (a local server found after start-up) at the end.
    mutating func offer(_ provider: Provider) {
        if self.provider(named: provider.name) == nil { providers.append(provider) }
    }
}
