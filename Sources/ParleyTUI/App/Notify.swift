/// How a reply that ends (or fails) in a conversation not on screen is told (`[app] notify`).
public enum Notify: String, CaseIterable, Equatable, Sendable {
    case off, bell
    /// A desktop notification through the terminal: OSC 9 (iTerm2, WezTerm, kitty, foot) or
    /// OSC 777 (urxvt, some VTE terminals).
    case osc9, osc777
}
