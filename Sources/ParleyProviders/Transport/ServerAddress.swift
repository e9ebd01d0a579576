import Foundation

/// The host and port a request goes to, as messages name them: "127.0.0.1:9".
struct ServerAddress: Equatable, Sendable, CustomStringConvertible {
    var host: String
    var port: Int

    /// Nil unless `url` is an http or https URL with a host.
    init?(url: String) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parsed.host, !host.isEmpty
        else { return nil }
        self.host = host
        self.port = parsed.port ?? (scheme == "https" ? 443 : 80)
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
