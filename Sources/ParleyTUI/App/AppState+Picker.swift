import ParleyCore

/// The model and preset pickers: what they list, their keys, and what a choice changes — the
/// open conversation (saved, used by its next reply), or with none open the defaults for new ones.
extension AppState {
    /// Opens a picker on the open conversation's current choice. The model picker asks for the
    /// model lists not yet known (or that failed before); listed ones are kept for the session.
    mutating func openPicker(_ kind: Picker.Kind) -> [AppEffect] {
        let conversation = selectedConversation
        switch kind {
        case .model:
            let current = Picker.Item.model(
                provider: conversation?.provider ?? defaults.provider, model: conversation?.model ?? defaults.model)
            mode = .picking(
                Picker(
                    kind: .model, selection: current, conversation: conversation?.id,
                    reasoning: conversation?.reasoning ?? defaults.reasoning))
            var effects: [AppEffect] = []
            for provider in offeredProviders {
                switch choices.listings[provider.name] {
                case .listed, .loading: continue
                case .failed, nil:
                    choices.listings[provider.name] = .loading
                    effects.append(.listModels(provider: provider.name))
                }
            }
            return effects
        case .preset:
            let prompt = conversation.map(\.systemPrompt) ?? defaults.systemPrompt
            let current = Picker.Item.preset(name: choices.presets.first { $0.system == prompt }?.name)
            mode = .picking(Picker(kind: .preset, selection: current, conversation: conversation?.id))
            return []
        }
    }

    /// The providers the model picker lists: those usable now, and the open conversation's own
    /// (first) when it is not one of them.
    var offeredProviders: [ModelChoices.Provider] {
        guard let conversation = selectedConversation, choices.provider(named: conversation.provider) == nil else {
            return choices.providers
        }
        return [ModelChoices.Provider(name: conversation.provider, model: conversation.model)] + choices.providers
    }

    /// What the picker shows, filtered by its query.
    func rows(for picker: Picker) -> [Picker.Row] {
        switch picker.kind {
        case .model: modelRows(picker)
        case .preset: presetRows(picker)
        }
    }

    private func modelRows(_ picker: Picker) -> [Picker.Row] {
        let target = picker.conversation.flatMap { chat.conversations[$0] }
        let current = (provider: target?.provider ?? defaults.provider, model: target?.model ?? defaults.model)
        var rows: [Picker.Row] = []
        for provider in offeredProviders {
            let label = defaults.label(provider.name)
            var models: [String]
            var note: Picker.Row?
            switch choices.listings[provider.name] {
            case .listed(let listed):
                models = listed
                if listed.isEmpty { note = .note("lists no models", isError: false) }
            case .failed(let reason):
                models = [provider.model]
                note = .note(reason, isError: true)
            case .loading, nil:
                models = [provider.model]
                note = .note("loading…", isError: false)
            }
            if current.provider == provider.name, !models.contains(current.model) {
                models.insert(current.model, at: 0)
            }
            let shown = models.filter { picker.matches($0, provider.name, label) }
            let noteShown = note != nil && picker.matches(provider.name, label)
            guard !shown.isEmpty || noteShown else { continue }
            rows.append(.heading(label))
            if noteShown, let note { rows.append(note) }
            for model in shown {
                let isCurrent = current.provider == provider.name && current.model == model
                rows.append(
                    .item(
                        .model(provider: provider.name, model: model), label: model, detail: nil, isCurrent: isCurrent))
            }
        }
        // A model no list offers (a new one, a server that lists none) can be typed: when the
        // query matches no listed model, it is offered itself, with the provider in use.
        let typed = String(picker.query.text[...].trimmingSpaces)
        let anyListed = rows.contains { if case .item = $0 { true } else { false } }
        if !anyListed { rows.append(.note("No listed model matches “\(picker.query.text)”.", isError: false)) }
        if !typed.isEmpty, !typed.contains(where: \.isWhitespace), !anyListed {
            rows.append(.heading("As typed"))
            rows.append(
                .item(
                    .model(provider: current.provider, model: typed), label: typed,
                    detail: "with \(defaults.label(current.provider))", isCurrent: false))
        }
        return rows
    }

    private func presetRows(_ picker: Picker) -> [Picker.Row] {
        let target = picker.conversation.flatMap { chat.conversations[$0] }
        let prompt = picker.conversation == nil ? defaults.systemPrompt : target?.systemPrompt
        var rows: [Picker.Row] = []
        if picker.matches("no system prompt none") {
            rows.append(.item(.preset(name: nil), label: "No system prompt", detail: nil, isCurrent: prompt == nil))
        }
        for preset in choices.presets where picker.matches(preset.name, preset.system) {
            let firstLine = preset.system.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            rows.append(
                .item(
                    .preset(name: preset.name), label: preset.name, detail: firstLine,
                    isCurrent: prompt == preset.system))
        }
        if choices.presets.isEmpty {
            rows += [
                .note("", isError: false),
                .note("No presets yet. Add one to config.toml (`parley config edit`):", isError: false),
                .note("  [presets.NAME]", isError: false),
                .note("  system = \"…\"", isError: false),
            ]
        } else if rows.isEmpty {
            rows.append(.note("No preset matches “\(picker.query.text)”.", isError: false))
        }
        // What is typed can be the system prompt itself, when it finds no preset.
        let typed = String(picker.query.text[...].trimmingSpaces)
        let anyPreset = rows.contains { if case .item(.preset(.some), _, _, _) = $0 { true } else { false } }
        if !typed.isEmpty, !anyPreset {
            rows.append(.heading("As typed"))
            rows.append(.item(.typedPrompt(typed), label: typed, detail: nil, isCurrent: prompt == typed))
        }
        return rows
    }

    /// Keys while a picker is open: ↑/↓ (Ctrl-P/N) move, Enter chooses, Esc closes, the rest edit
    /// the query (the cursor then goes to the first match).
    mutating func pick(_ key: Key, picker: Picker) -> [AppEffect] {
        var picker = picker
        let rows = rows(for: picker)
        let items = Picker.items(rows)
        switch key {
        case .escape:
            mode = .normal
        case .up, .control("p"), .down, .control("n"):
            guard let cursor = picker.cursor(in: rows), let index = items.firstIndex(of: cursor) else { return [] }
            let step = key == .up || key == .control("p") ? -1 : 1
            picker.selection = items[max(0, min(items.count - 1, index + step))]
            mode = .picking(picker)
        case .tab, .backTab:
            guard let reasoning = picker.reasoning else { return [] }
            picker.reasoning = Self.reasoning(after: reasoning, backwards: key == .backTab)
            mode = .picking(picker)
        case .control(" ") where picker.kind == .model:
            guard let item = picker.cursor(in: rows) else { return [] }
            if let place = picker.marked.firstIndex(of: item) {
                picker.marked.remove(at: place)
            } else if picker.marked.count < Comparison.models.upperBound {
                picker.marked.append(item)
            } else {
                show("Compare takes up to \(Comparison.models.upperBound) models.")
            }
            mode = .picking(picker)
        case .enter where !picker.marked.isEmpty:
            guard picker.marked.count >= Comparison.models.lowerBound else {
                show("Mark at least two models to compare (Ctrl-Space), or unmark it to choose one.")
                return []
            }
            mode = .normal
            compareNext(picker.marked, for: picker.conversation)
        case .enter:
            guard let item = picker.cursor(in: rows) else { return [] }
            mode = .normal
            // Choosing one model is the end of comparing here.
            if comparing?.conversation == picker.conversation { comparing = nil }
            var effects = choose(item, for: picker.conversation)
            // The reasoning setting, when Tab changed it, is chosen with the model (and said after it).
            let target = picker.conversation.flatMap { chat.conversations[$0] }
            if let reasoning = picker.reasoning, reasoning != target?.reasoning ?? defaults.reasoning {
                let modelSaid = hint.map { $0 + " " } ?? ""
                effects += choose(reasoning, for: picker.conversation)
                show(modelSaid + (hint ?? ""))
            }
            return effects
        default:
            let before = picker.query.text
            guard edit(&picker.query, with: key), picker.query.text != before else { return [] }
            picker.selection = Picker.items(self.rows(for: picker)).first
            mode = .picking(picker)
        }
        return []
    }

    /// Pasting into a picker types into its query.
    mutating func paste(_ text: String, into picker: Picker) -> Bool {
        var picker = picker
        guard picker.query.insert(text.replacing("\n", with: " ")) else { return false }
        picker.selection = Picker.items(rows(for: picker)).first
        mode = .picking(picker)
        return true
    }

    private mutating func choose(_ item: Picker.Item, for id: ConversationID?) -> [AppEffect] {
        defaults.followsDiscovery = false
        defaults.modelIsAGuess = false
        switch item {
        case .model(let provider, let model):
            let spoken = "\(model) · \(defaults.label(provider))"
            guard let id, chat.conversations[id] != nil else {
                defaults.provider = provider
                defaults.model = model
                show("New conversations use \(spoken).")
                return []
            }
            // Another provider is reached where this launch reaches it; the same one where it was.
            let moved = chat.conversations[id]?.provider != provider
            let effects = chat(
                .modelChosen(id, provider: provider, model: model, baseURL: moved ? defaults.baseURLs[provider] : nil))
            show("Replies here now come from \(spoken).")
            return effects
        case .typedPrompt(let system):
            guard let id, chat.conversations[id] != nil else {
                defaults.systemPrompt = system
                show("New conversations use the system prompt as typed.")
                return []
            }
            let effects = chat(.systemPromptChosen(id, system))
            show("Replies here now use the system prompt as typed.")
            return effects
        case .preset(let name):
            let preset = name.flatMap { name in choices.presets.first { $0.name == name } }
            var spoken = name.map { "the “\($0)” system prompt" } ?? "no system prompt"
            // A preset that names a reasoning setting brings it; one that does not leaves it be.
            if let reasoning = preset?.reasoning { spoken += " and reasoning \(reasoning.name)" }
            guard let id, chat.conversations[id] != nil else {
                defaults.systemPrompt = preset?.system
                if let reasoning = preset?.reasoning { defaults.reasoning = reasoning }
                show("New conversations use \(spoken).")
                return []
            }
            var effects = chat(.systemPromptChosen(id, preset?.system))
            if let reasoning = preset?.reasoning { effects += chat(.reasoningChosen(id, reasoning)) }
            show("Replies here now use \(spoken).")
            return effects
        }
    }

    /// A model list arrived (or could not be had). A success is kept for the session.
    mutating func modelsListed(_ provider: String, _ listing: ModelChoices.Listing) {
        choices.listings[provider] = listing
        guard defaults.modelIsAGuess, provider == defaults.provider, case .listed(let models) = listing,
            let model = models.contains(defaults.model) ? defaults.model : models.first
        else { return }
        defaults.modelIsAGuess = false
        defaults.model = model
        let key = bindings.label(.pickModel) ?? "F1"
        show("\(defaults.label(provider)) offers \(model): new conversations use it (\(key) picks another).")
    }

    /// A local server answered at start-up: it joins the picker with its models, and while nothing
    /// chose the defaults, new conversations use it.
    mutating func localServerFound(_ provider: ModelChoices.Provider, models: [String]) {
        choices.offer(provider)
        choices.listings[provider.name] = .listed(models)
        guard defaults.followsDiscovery, let model = models.contains(provider.model) ? provider.model : models.first
        else { return }
        defaults.followsDiscovery = false
        defaults.provider = provider.name
        defaults.model = model
        let key = bindings.label(.pickModel) ?? "F1"
        show("Found \(defaults.label(provider.name)): new conversations use \(model) (\(key) picks another).")
    }
}
