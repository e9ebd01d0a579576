import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyCore

extension HTTPClient {
    /// The most redirects followed for one request.
    static let redirectLimit = 5

    /// Sends `request` and returns the response, following redirects only within the request's
    /// own origin (scheme, host and port), at most `redirectLimit` times. Every request to a
    /// provider is sent here: replies, model lists, local-server discovery and `parley doctor`.
    ///
    /// A request carries its key in a header (Authorization, x-api-key, x-goog-api-key, or one
    /// the config file names), and an HTTP client following a redirect to another server strips
    /// only Authorization and Cookie. So none is followed: a redirect elsewhere is an error that
    /// names where it led, and the user decides whether to point the provider there.
    ///
    /// The clients are made with redirects disallowed (`ProviderTransport.client`), so this is the
    /// one place that decides. Like a reply's other timeouts, the caller's clock bounds the time.
    func send(_ request: ProviderRequest, target: ReplyTarget) async throws -> ProviderResponse {
        var current = request
        for redirects in 0...Self.redirectLimit {
            let response = try await ProviderResponse.start(try current.http, on: self)
            guard let location = Self.redirectLocation(of: response, from: current.url) else { return response }
            guard ServerAddress(url: location.absoluteString) == ServerAddress(url: current.url) else {
                throw ProviderError.redirected(response.status, to: location, target: target)
            }
            guard redirects < Self.redirectLimit else { break }
            current = current.redirected(to: location.absoluteString, status: response.status)
        }
        let server = ServerAddress(url: request.url).map { "\($0)" } ?? request.url
        throw ProviderError(.protocol, "\(server) redirected the request more than \(Self.redirectLimit) times")
    }

    /// Where a redirect response points, resolved against the URL it answered; nil for any other
    /// response, or a redirect without a usable Location (which is then shown as it is).
    private static func redirectLocation(of response: ProviderResponse, from url: String) -> URL? {
        guard [301, 302, 303, 307, 308].contains(response.status.code),
            let location = response.headers.first(name: "location"),
            let resolved = URL(string: location, relativeTo: URL(string: url))?.absoluteURL
        else { return nil }
        return resolved
    }
}

extension ProviderRequest {
    /// The request as the HTTP client sends it; a URL it cannot send to is its error.
    var http: HTTPClient.Request {
        get throws {
            var fields = HTTPHeaders()
            for header in headers { fields.add(name: header.name, value: header.value) }
            return try HTTPClient.Request(
                url: url, method: HTTPMethod(rawValue: method), headers: fields, body: body.isEmpty ? nil : .bytes(body)
            )
        }
    }

    /// The same request sent on to `url` within its origin: 303 means "fetch the answer with a
    /// GET"; every other redirect repeats the method and the body (RFC 9110 allows this for 301
    /// and 302, and a chat request turned into a bodiless GET could only fail).
    func redirected(to url: String, status: HTTPResponseStatus) -> ProviderRequest {
        var request = self
        request.url = url
        if status == .seeOther, method != "HEAD" {
            request.method = "GET"
            request.body = []
            request.headers.removeAll { ["content-type", "content-length"].contains($0.name.lowercased()) }
        }
        return request
    }
}

extension ProviderError {
    /// A provider redirected a request to another server, which is not followed (see `HTTPClient.send`).
    static func redirected(_ status: HTTPResponseStatus, to location: URL, target: ReplyTarget) -> ProviderError {
        var shown = location.absoluteString
        if shown.count > 200 { shown = String(shown.prefix(199)) + "…" }
        return ProviderError(
            .provider,
            "\(status.code) from \(target.providerName): the request was redirected to \(shown), another server, "
                + "which Parley does not send your key to. If you trust it, make it the base URL "
                + "(--base-url, or base_url in the config file).",
            status: Int(status.code))
    }
}
