import Logging
import ParleyCore

/// How a failed reply is logged: its kind, status and the provider's words (which name what to
/// fix, never the key), with where it came from.
enum ReplyLog {
    static func failed(_ error: ProviderError, provider: String? = nil, model: String? = nil, session: SessionID? = nil)
    {
        var metadata: Logger.Metadata = ["kind": "\(error.kind.rawValue)"]
        if let status = error.status { metadata["status"] = "\(status)" }
        if let provider { metadata["provider"] = "\(provider)" }
        if let model { metadata["model"] = "\(model)" }
        if let session { metadata["session"] = "\(session.rawValue)" }
        log.warning("the reply failed: \(error.message)", metadata: metadata)
    }
}
