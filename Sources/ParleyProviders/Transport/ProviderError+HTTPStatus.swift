import Foundation
import NIOHTTP1
import ParleyCore

extension ProviderError {
    /// A response with a failing status, read from its status, headers and the start of its
    /// body: "401 from OpenAI: Incorrect API key provided. Check OPENAI_API_KEY."
    ///
    /// Providers' JSON error objects give the kind and message; any other body (an HTML page
    /// from a proxy, plain text) gives a short cleaned excerpt. 429 and 503 carry Retry-After.
    static func httpStatus(
        _ status: HTTPResponseStatus, headers: HTTPHeaders, body: [UInt8], target: ReplyTarget, now: Date = Date()
    ) -> ProviderError {
        let provider = target.providerName
        var failure = ProviderError(.init(httpStatus: Int(status.code)), "", status: Int(status.code))
        var detail = excerpt(of: body) ?? status.reasonPhrase
        if let payload = try? JSON.parse(body), payload.object != nil {
            let read = ProviderError(errorPayload: payload, status: Int(status.code), provider: provider)
            // errorPayload says "Provider: message"; here the status leads, so its prefix goes.
            let prefix = provider + ": "
            let message = read.message.hasPrefix(prefix) ? String(read.message.dropFirst(prefix.count)) : read.message
            if message != "unknown error" {
                failure = read
                detail = message
            }
        }
        failure.message = "\(status.code) from \(provider): \(detail)"
        if failure.kind == .auth, let variable = target.keyVariable {
            failure.message += (failure.message.hasSuffix(".") ? "" : ".") + " Check \(variable)."
        }
        failure.retryAfter = headers.first(name: "retry-after").flatMap { retryAfterSeconds($0, now: now) }
        return failure
    }

    /// Retry-After as seconds from `now`: a number of seconds, or an HTTP date.
    static func retryAfterSeconds(_ value: String, now: Date) -> Double? {
        let trimmed = value.trimmed
        if let seconds = Double(trimmed) { return seconds >= 0 && seconds.isFinite ? seconds : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
