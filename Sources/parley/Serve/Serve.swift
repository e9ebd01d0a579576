import ArgumentParser
import Foundation
import ParleyConfig
import ParleyCore
import ParleyProviders
import ParleyRelay
import ParleyStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Relay every provider as OpenAI's Chat Completions API.",
        discussion: """
            Listens for OpenAI-compatible clients (the official SDKs, scripts, other tools, `parley \
            ask --base-url http://HOST:PORT/v1`) and relays POST /v1/chat/completions, streamed or \
            whole, to any provider Parley speaks, with the keys, base URLs and key commands of this \
            machine's environment and config file. The model is PROVIDER/MODEL \
            (anthropic/claude-sonnet-4-5, ollama/llama3.2) or the name of a [presets.NAME], which \
            uses the config file's provider and model with that preset's system prompt. Reasoning \
            comes as reasoning_content deltas, tool calls as tool_calls deltas, the usage last. \
            GET /v1/models lists what the usable providers offer.

            Listening beyond this machine (--host other than 127.0.0.1, ::1 or localhost) needs \
            --token-env NAME: the variable NAME holds the token clients send as their API key \
            (Authorization: Bearer TOKEN). Provider keys never leave the relay.

            --save keeps each relayed reply, with the conversation it answers, in Parley's \
            conversations (`parley list`, the app).

            One line a request goes to stderr: method, path, model, status, time, tokens (never \
            what was said, never a key). SIGINT or SIGTERM stops accepting, lets replies under way \
            run on for --grace seconds, then cancels them.

            Exit codes: 0 stopped, 1 could not listen, 2 usage error.
            """)

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, said on stderr).")
    var port = RelaySettings.defaultPort

    @Option(
        name: .customLong("token-env"),
        help: ArgumentHelp(
            "The variable holding the token clients must send (required off loopback).", valueName: "NAME"))
    var tokenVariable: String?

    @Option(name: .customLong("max-replies"), help: "The most replies relayed at once; more are refused with 429.")
    var maxReplies = 32

    @Option(help: "Seconds replies under way may run on after SIGINT or SIGTERM before they are cancelled.")
    var grace = 10.0

    @Option(name: .customLong("keep-alive"), help: "Seconds of silence in a stream before a keep-alive comment.")
    var keepAlive = 15.0

    @Flag(help: "Save each relayed reply, with the conversation it answers, as a conversation of Parley's own.")
    var save = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
        guard maxReplies >= 1 else { throw ValidationError("--max-replies must be at least 1.") }
        guard grace >= 0, grace.isFinite else { throw ValidationError("--grace must be 0 or more seconds.") }
        guard keepAlive > 0, keepAlive.isFinite else {
            throw ValidationError("--keep-alive must be more than 0 seconds.")
        }
    }

    func run() async throws {
        let environment = ProcessEnvironment.variables
        let loaded = try AppConfiguration.loadForCommand(environment: environment)
        let token = try self.token(environment)
        let keyTimeout = loaded.keyCommandTimeout
        let directory = RelayDirectory(
            configuration: loaded.providerConfiguration, presets: loaded.config.presets, environment: environment,
            unlock: { choice in
                do {
                    return .success(try await KeyCommand.unlock(choice, timeout: keyTimeout))
                } catch {
                    // Its output is not repeated to the client: a command that failed may have printed a secret.
                    return .failure(
                        RelayError(
                            status: 502, type: "upstream_error", code: "key_command_failed",
                            message: "the relay could not get \(choice.preset.displayName)'s key from its key command"))
                }
            })
        let settings = RelaySettings(
            host: host, port: port, token: token, maxReplies: maxReplies, keepAlive: .seconds(keepAlive),
            grace: .seconds(grace),
            transport: ProviderTransport(timeouts: loaded.timeouts, retry: RetryPolicy(maxAttempts: 1)))
        let store = save ? try ConversationStore.open() : nil
        // Stopped (its replies over or cancelled, their saves done), the relay closes the database
        // as `ask` does, leaving the mark that spares the next Parley a check of every page.
        defer { store?.close() }
        let server = RelayServer(settings: settings, directory: directory, save: store.map(Self.saving(into:))) {
            Console.error($0.line + "\n")
        }
        let host = host
        do {
            try await server.run { port in
                Console.error("parley serve: listening on http://\(Self.urlHost(host)):\(port)/v1\n")
            }
        } catch {
            throw CommandFailure.failed("cannot listen on \(host):\(port): \(error)")
        }
    }

    /// With `--save`, what keeps each reply in `store`, as `parley list` and the app find them. One
    /// that cannot be saved is said on stderr; the reply was relayed all the same.
    private static func saving(into store: ConversationStore) -> @Sendable (RelayedReply) async -> Void {
        { reply in
            let (conversation, messages) = reply.conversation(
                id: .random(), messageID: { _ in .random() }, at: .current)
            do throws(StoreError) {
                try await store.createConversation(conversation, messages: messages)
            } catch {
                Console.error("warning: a relayed reply was not saved: \(error.description)\n")
            }
        }
    }

    /// The token from `--token-env`'s variable; a non-loopback address without one is refused.
    private func token(_ environment: [String: String]) throws(CommandFailure) -> String? {
        guard let tokenVariable else {
            guard RelaySettings.isLoopback(host) else {
                throw .usage(
                    "listening on \(host) lets other machines in: give --token-env NAME, the variable holding the "
                        + "token they must send.")
            }
            return nil
        }
        guard let token = environment[tokenVariable], !token.isEmpty else {
            throw .usage("--token-env \(tokenVariable): the variable \(tokenVariable) is not set, or empty.")
        }
        return token
    }

    /// An IPv6 address in brackets, as a URL writes it.
    static func urlHost(_ host: String) -> String { host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host }
}
