import AsyncHTTPClient
import NIOCore
import ParleyCore

/// A provider's list of models, from its models endpoint (`parley models`, `parley doctor`),
/// through the transport's HTTP clients and with its errors read the way a reply's are.
public enum ModelCatalog {
    /// The most of a listing that is read: OpenRouter's, with descriptions, is about 1 MB.
    static let bodyLimit = 16 << 20

    /// The models `choice`'s provider offers, sorted; the demo offers "demo". `timeout`, measured
    /// by `clock`, bounds the whole exchange, connecting included.
    public static func models(
        of choice: ProviderChoice, timeout: Duration = .seconds(10), clock: any Clock<Duration> = ContinuousClock()
    ) async throws(ProviderError) -> ModelListing {
        guard let format = choice.preset.format else {
            return ModelListing(status: nil, models: [choice.preset.defaultModel])
        }
        let request = request(format: format, endpoint: choice.endpoint)
        let target = ReplyTarget(providerName: choice.preset.displayName, keyVariable: choice.endpoint.keyVariable)
        let (status, body) = try await fetch(request, target: target, timeout: timeout, clock: clock)
        guard let models = parse(body, format: format) else {
            throw ProviderError(
                .protocol, "\(target.providerName) sent a model list that could not be read", status: status)
        }
        return ModelListing(status: status, models: models.sorted())
    }

    /// `GET` on the format's models endpoint, with the same credentials and extra headers as a reply.
    public static func request(format: WireFormat, endpoint: ProviderEndpoint) -> ProviderRequest {
        let (path, headers): (String, [HTTPHeader]) =
            switch format {
            case .openAIChat, .openAIResponses: ("/models", endpoint.bearerAuthorization)
            case .anthropic:
                (
                    "/v1/models?limit=1000",
                    (endpoint.apiKey.map { [HTTPHeader("x-api-key", $0)] } ?? [])
                        + [HTTPHeader("anthropic-version", AnthropicAdapter.apiVersion)]
                )
            // The key goes in a header, as for replies, rather than in the URL's `?key=`, where
            // proxies and logs keep it.
            case .gemini:
                ("/v1beta/models?pageSize=1000", endpoint.apiKey.map { [HTTPHeader("x-goog-api-key", $0)] } ?? [])
            case .ollama: ("/api/tags", endpoint.bearerAuthorization)
            }
        return ProviderRequest(
            url: endpoint.url(path), method: "GET",
            headers: [HTTPHeader("Accept", "application/json")] + headers + endpoint.extraHeaders, body: [])
    }

    /// Model names from a listing: `data[].id` (OpenAI-compatible, Anthropic), `models[].name`
    /// without its `models/` prefix and only those that chat (Gemini), `models[].name` (Ollama).
    static func parse(_ body: [UInt8], format: WireFormat) -> [String]? {
        guard let listing = try? JSON.parse(body) else { return nil }
        switch format {
        case .openAIChat, .openAIResponses, .anthropic:
            return listing["data"]?.array?.compactMap { $0["id"]?.string }
        case .gemini:
            return listing["models"]?.array?.compactMap { model in
                let methods = model["supportedGenerationMethods"]?.array?.compactMap(\.string)
                guard methods == nil || methods!.contains(where: { $0.hasSuffix("enerateContent") }) else { return nil }
                return model["name"]?.string.map { $0.hasPrefix("models/") ? String($0.dropFirst(7)) : $0 }
            } ?? (listing.object?.isEmpty == true ? [] : nil)
        case .ollama:
            return listing["models"]?.array?.compactMap { $0["name"]?.string ?? $0["model"]?.string }
        }
    }

    /// The body of a successful response, or the failure in a reply's words (with the request's
    /// secrets taken out, as a reply's are).
    static func fetch<C: Clock<Duration>>(
        _ request: ProviderRequest, target: ReplyTarget, timeout: Duration, clock: C
    ) async throws(ProviderError) -> (status: Int, body: [UInt8]) {
        guard let server = ServerAddress(url: request.url) else {
            throw ProviderError(.invalidRequest, "\"\(request.url)\" is not an http:// or https:// URL")
        }
        typealias Answer = Result<(status: Int, body: [UInt8]), ProviderError>
        let deadline = clock.now.advanced(by: timeout)
        let outcome = await withTaskGroup(of: Answer?.self) { group in
            group.addTask {
                do throws(ProviderError) {
                    return Answer.success(try await exchange(request, target, server))
                } catch {
                    return Answer.failure(error)
                }
            }
            group.addTask {
                // Nil: the time ran out (or the listing was cancelled) first.
                try? await clock.sleep(until: deadline, tolerance: nil)
                return nil
            }
            let first = await group.next()
            group.cancelAll()
            return first.flatMap { $0 }
        }
        switch outcome {
        case .success(let answer)?: return answer
        case .failure(let failure)?: throw Redaction(request).apply(failure)
        case nil: throw ProviderError(.timeout, "\(server) did not answer within \(timeout.spoken)")
        }
    }

    private static func exchange(
        _ request: ProviderRequest, _ target: ReplyTarget, _ server: ServerAddress
    ) async throws(ProviderError) -> (status: Int, body: [UInt8]) {
        let timeouts = TransportTimeouts()
        do {
            let response = try await ProviderTransport.client(connectTimeout: timeouts.connect)
                .send(request, target: target)
            let body = try await response.body.collect(upTo: bodyLimit)
            let bytes = Array(body.readableBytesView)
            guard (200..<300).contains(response.status.code) else {
                throw ProviderError.httpStatus(response.status, headers: response.headers, body: bytes, target: target)
            }
            return (Int(response.status.code), bytes)
        } catch let failure as ProviderError {
            throw failure
        } catch is NIOTooManyBytesError {
            throw ProviderError(
                .protocol, "\(target.providerName) sent a model list larger than \(bodyLimit >> 20) MiB")
        } catch {
            throw ProviderError.transport(error, server: server, timeouts: timeouts, bodyStarted: false)
        }
    }
}

/// What a models endpoint answered.
public struct ModelListing: Equatable, Sendable {
    /// The HTTP status; nil for the demo, which has no endpoint.
    public var status: Int?
    public var models: [String]

    public init(status: Int?, models: [String]) {
        self.status = status
        self.models = models
    }
}
