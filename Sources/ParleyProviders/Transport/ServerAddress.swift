import Foundation

/// The server a request goes to: its origin (scheme, host and port; two URLs with equal
/// addresses are the same server), named in messages by host and port: "127.0.0.1:9".
struct ServerAddress: Equatable, Sendable, CustomStringConvertible {
    var scheme: String
    var host: String
    var port: Int

    /// Nil unless `url` is an http or https URL with a host.
    init?(url: String) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parsed.host?.lowercased(), !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = parsed.port ?? (scheme == "https" ? 443 : 80)
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
