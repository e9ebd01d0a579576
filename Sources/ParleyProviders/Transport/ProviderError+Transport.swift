import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTPCompression
import NIOPosix
import ParleyCore

extension ProviderError {
    /// A request that failed in transit, in the user's words and naming the server:
    /// "could not connect to 127.0.0.1:9: connection refused".
    static func transport(
        _ error: any Error, server: ServerAddress, timeouts: TransportTimeouts, bodyStarted: Bool
    ) -> ProviderError {
        if let failure = error as? NIOConnectionError {
            return ProviderError(.network, "could not connect to \(server): \(reason(failure))")
        }
        if let failure = error as? HTTPClientError {
            switch failure {
            case .connectTimeout:
                return ProviderError(.timeout, "could not connect to \(server) within \(timeouts.connect.spoken)")
            case .tlsHandshakeTimeout:
                return ProviderError(.timeout, "the secure connection to \(server) could not be set up in time")
            case .remoteConnectionClosed:
                return bodyStarted
                    ? ProviderError(.network, "the connection to \(server) was lost in the middle of the reply")
                    : ProviderError(.network, "\(server) closed the connection without answering")
            default:
                break
            }
        }
        if let failure = error as? NIOHTTPDecompression.DecompressionError, failure == .limit {
            let limit = ProviderTransport.decompressedLimit >> 20
            return ProviderError(.protocol, "\(server) sent a compressed body that inflates to more than \(limit) MiB")
        }
        if error is NIOHTTPDecompression.DecompressionError || error is NIOHTTPDecompression.ExtraDecompressionError {
            return ProviderError(.protocol, "\(server) sent a compressed body that could not be inflated")
        }
        if let failure = error as? IOError {
            let reason = describe(errno: failure.errnoCode)
            if !bodyStarted, connectErrors.contains(failure.errnoCode) {
                return ProviderError(.network, "could not connect to \(server): \(reason)")
            }
            let when = bodyStarted ? "in the middle of the reply" : "before it answered"
            return ProviderError(.network, "the connection to \(server) failed \(when): \(reason)")
        }
        if String(reflecting: type(of: error)).hasPrefix("NIOSSL.") {
            return ProviderError(.network, "the secure connection to \(server) failed: \(tlsReason(error))")
        }
        return ProviderError(.network, "the request to \(server) failed: \(shortened("\(error)"))")
    }

    /// BoringSSL names the reason in capitals inside a long dump ("…:CERTIFICATE_VERIFY_FAILED at
    /// …"); that name in words is what a person can act on.
    private static func tlsReason(_ error: any Error) -> String {
        let text = "\(error)"
        guard let found = text.range(of: ":[A-Z][A-Z0-9_]{3,}\\b", options: .regularExpression) else {
            return shortened(text)
        }
        return text[found].dropFirst().replacingOccurrences(of: "_", with: " ").lowercased()
    }

    private static func shortened(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(199)) + "…"
    }

    /// The errors of `connect(2)` itself: no connection was ever made.
    private static let connectErrors: Set<Int32> = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, ETIMEDOUT, EADDRNOTAVAIL]

    /// Why no connection could be made: the first address's failure, else the name lookup's.
    private static func reason(_ failure: NIOConnectionError) -> String {
        if let first = failure.connectionErrors.first {
            if let io = first.error as? IOError { return describe(errno: io.errnoCode) }
            return "\(first.error)"
        }
        if failure.dnsAError != nil || failure.dnsAAAAError != nil {
            return "the host name \(failure.host) could not be found"
        }
        return "\(failure)"
    }

    /// "connection refused", from the system's own wording.
    private static func describe(errno code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
