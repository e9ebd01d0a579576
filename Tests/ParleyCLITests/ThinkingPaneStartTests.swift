import Foundation
import Testing

@testable import parley

/// How the app starts: the thinking pane shown or hidden, by the config file or the last Ctrl-T.
@Suite("The thinking pane at start-up")
struct ThinkingPaneStartTests {
    @Test("the config file's thinking_pane wins whenever it is set; the last Ctrl-T only where it is silent")
    func precedence() throws {
        let home = ParleyProcess.dataFolder()
        let environment = ["PARLEY_HOME": home]
        #expect(UIPreferences(environment: environment).startsWithThinking(configured: nil), "neither: shown")

        UIPreferences(environment: environment).remember(showThinking: false)
        let remembered = UIPreferences(environment: environment)
        #expect(remembered.showThinking == false)
        #expect(!remembered.startsWithThinking(configured: nil), "the last Ctrl-T carries over")
        #expect(remembered.startsWithThinking(configured: true), "what the config file says wins")
        #expect(!UIPreferences(environment: environment).startsWithThinking(configured: false))

        // Written by hand, as TOML may be; or damaged, which remembers nothing.
        let file = try #require(UIPreferences(environment: environment).path)
        try "# mine\nthinking_pane   =   true # shown\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(UIPreferences(environment: environment).showThinking == true)
        try "thinking_pane = \"sometimes\"\n[[[".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(UIPreferences(environment: environment).showThinking == nil)
    }
}
