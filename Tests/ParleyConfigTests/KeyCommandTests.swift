import ParleyConfig
import ParleyProviders
import Testing

@Suite("key_command: the key from a command's output")
struct KeyCommandTests {
    @Test("its first line of output, trimmed, is the key")
    func success() throws {
        #expect(try KeyCommand.run("printf '  sk-from-pass  \\nuser: me\\n'") == "sk-from-pass")
    }

    @Test("a failing command is named, with its status and the last thing it said")
    func failure() {
        #expect(
            throws: KeyCommandFailure(
                command: "echo 'openai is not in the password store' >&2; exit 3",
                reason: "exited with status 3: openai is not in the password store")
        ) {
            try KeyCommand.run("echo 'openai is not in the password store' >&2; exit 3")
        }
    }

    @Test("a command that prints nothing gave no key")
    func empty() {
        #expect(throws: KeyCommandFailure(command: "true", reason: "printed no key")) { try KeyCommand.run("true") }
    }

    @Test("a command that does not exist says so")
    func missing() throws {
        do {
            _ = try KeyCommand.run("no-such-parley-password-tool show openai")
            Issue.record("expected a failure")
        } catch {
            #expect(
                error.description.hasPrefix(
                    "the key command `no-such-parley-password-tool show openai` exited with status 127"))
        }
    }
}
