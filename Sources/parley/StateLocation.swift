/// Where Parley keeps what it writes for itself besides conversations (the log, what the app
/// remembers), worked out from the environment alone as `StoreLocation` and `ConfigLocation` do:
/// `$PARLEY_HOME/NAME`, else `$XDG_STATE_HOME/parley/NAME` (an absolute one), else
/// `~/.local/state/parley/NAME`; nil with no home folder at all.
enum StateLocation {
    static func path(_ name: String, environment: [String: String]) -> String? {
        if let home = environment["PARLEY_HOME"], !home.isEmpty { return join(home, name) }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return join(state, "parley/" + name) }
        if let home = environment["HOME"], !home.isEmpty { return join(home, ".local/state/parley/" + name) }
        return nil
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
