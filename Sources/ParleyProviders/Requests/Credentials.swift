import Foundation
import ParleyCore

extension HTTPHeader {
    /// Whether a header with this name carries a credential by convention: Authorization, cookies,
    /// and any name that speaks of a key, token or secret (`x-api-key`, `x-goog-api-key`,
    /// `X-Portkey-Api-Key`…). Such values are masked when shown and taken out of what servers say.
    public static func isCredential(_ name: String) -> Bool {
        let name = name.lowercased()
        return ["auth", "key", "token", "secret", "cookie", "password", "signature", "credential", "session"]
            .contains { name.contains($0) }
    }
}

/// The secrets one request carries (the values of its credential headers, and a bearer token
/// without its scheme), to take out of everything a server says back: a provider or proxy that
/// echoes the key in an error ("Incorrect API key provided: sk-…") must not get it shown, logged
/// or saved.
struct Redaction: Sendable {
    static let mask = "[redacted]"
    /// Shorter values are not taken out: they would match ordinary words, and no provider's key
    /// is that short.
    static let shortest = 6

    /// Longest first, so that a token inside a longer header value is not cut up first.
    private let secrets: [String]

    init(_ request: ProviderRequest) {
        var secrets: Set<String> = []
        for header in request.headers where HTTPHeader.isCredential(header.name) {
            let value = header.value.trimmed
            secrets.insert(value)
            // "Bearer sk-…": the token is also echoed alone.
            if let space = value.firstIndex(of: " ") {
                secrets.insert(value[value.index(after: space)...].trimmed)
            }
        }
        self.secrets = secrets.filter { $0.count >= Self.shortest }.sorted { $0.count > $1.count }
    }

    func apply(_ text: String) -> String {
        secrets.reduce(text) { text, secret in text.replacingOccurrences(of: secret, with: Self.mask) }
    }

    func apply(_ failure: ProviderError) -> ProviderError {
        var failure = failure
        failure.message = apply(failure.message)
        return failure
    }

    func apply(_ event: StreamEvent) -> StreamEvent {
        switch event {
        case .error(let failure): .error(apply(failure))
        case .reasoningRefused(let failure): .reasoningRefused(apply(failure))
        default: event
        }
    }
}
