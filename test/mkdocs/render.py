#!/usr/bin/env python3
"""
The reference reading of a MkDocs tree: each page rendered by Python-Markdown
with pymdown-extensions, configured from the tree's own mkdocs*.yml
`markdown_extensions`, and the code blocks of the HTML listed with the content
tabs around them (labels outermost first, as the tab label's text).

Usage: render.py TREE OUT.json [--every N] [PAGE ...]
  TREE: a folder with mkdocs*.yml; PAGEs relative to it (default: every page
  of the tree, see pages()). --every N: every Nth page of the tree (in sorted
  order, a deterministic sample) and the PAGEs given. Writes {"config": {...}, "pages": {page: [block]}},
  a block being {"lang": str, "text": str, "tabs": [label, ...], "fenced": bool}
(false for an indented code block).

Extensions that are not installed (the Material theme's, a site's own) are
left out and listed in "config.skipped": none of them changes code blocks or
tab labels. Highlighting is turned off so that code comes out as text.
"""
import html
import json
import os
import re
import sys
from html.parser import HTMLParser

import markdown
import pymdownx.superfences as superfences
import yaml


class AnyTagLoader(yaml.SafeLoader):
    """Reads `!!python/name:...` and other application tags as None."""


AnyTagLoader.add_multi_constructor('', lambda loader, suffix, node: None)
AnyTagLoader.add_multi_constructor('tag:yaml.org,2002:python/', lambda loader, suffix, node: None)


def load_config(path, depth=0):
    with open(path, encoding='utf-8') as handle:
        data = yaml.load(handle, Loader=AnyTagLoader) or {}
    parent = data.get('INHERIT')
    if parent and depth < 8:
        base = load_config(os.path.join(os.path.dirname(path), parent), depth + 1)
        merged = dict(base)
        for key, value in data.items():
            merged[key] = value
        if 'markdown_extensions' not in data:
            merged['markdown_extensions'] = base.get('markdown_extensions')
        return merged
    return data


def extension_list(raw):
    """[(name, config)] from the list or mapping form of markdown_extensions."""
    out = []
    if isinstance(raw, dict):
        raw = [{key: value} for key, value in raw.items()]
    for entry in raw or []:
        if isinstance(entry, str):
            out.append((entry, {}))
        elif isinstance(entry, dict):
            for name, config in entry.items():
                out.append((name, dict(config or {})))
    return out


def clean(value):
    """Drop the config values YAML could not build (python objects)."""
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [clean(item) for item in value if item is not None]
    return value


def pygments_validator(language, inputs, options, attrs, md):
    """
    Superfences' validation of fence options as with Pygments on. Highlighting
    is turned off here to read code as text, and without Pygments superfences
    takes `title=`, `hl_lines=` and `linenums=` for attributes and drops the
    fence (it becomes text and its closing line opens another fence), where the
    site, highlighting with Pygments, shows it as code. The options themselves
    change nothing in the code's text, so they are accepted and not applied.
    """
    for key, value in inputs.items():
        if key.startswith('data-'):
            attrs[key] = value
            continue
        checks = {'hl_lines': superfences.RE_HL_LINES, 'linenums': superfences.RE_LINENUMS, 'title': None}
        if key in checks and value is not True and (checks[key] is None or checks[key].match(value) is not None):
            continue
        attrs[key] = value
    return True


def accept_pygments_options():
    """The site highlights with Pygments (the default): validate fences as it does (see pygments_validator)."""
    superfences.highlight_validator = pygments_validator


def build(tree):
    configs = sorted(name for name in os.listdir(tree) if re.match(r'^mkdocs.*\.ya?ml$', name))
    chosen = next((name for name in configs if load_config(os.path.join(tree, name)).get('markdown_extensions')), None)
    if chosen is None:
        raise SystemExit(f'{tree}: no mkdocs*.yml with markdown_extensions')
    names, configs_by_name, skipped = [], {}, []
    for name, config in extension_list(load_config(os.path.join(tree, chosen)).get('markdown_extensions')):
        config = clean(config)
        if name in ('pymdownx.highlight',):
            if config.get('use_pygments', True):
                accept_pygments_options()
            config = {'use_pygments': False}
        if name == 'pymdownx.superfences':
            # custom fences need python objects; mermaid is not shell.
            config.pop('custom_fences', None)
        if name == 'pymdownx.emoji':
            config = {}
        if name == 'toc':
            config = {}
        # Extensions not installed here, or their config keys this version lacks.
        try:
            markdown.Markdown(extensions=[name], extension_configs={name: config})
        except (ImportError, ModuleNotFoundError, AttributeError):
            skipped.append(name)
            continue
        except KeyError:
            known = markdown.Markdown(extensions=[name]).registeredExtensions[-1].getConfigs()
            dropped = [key for key in config if key not in known]
            config = {key: value for key, value in config.items() if key in known}
            skipped.append(f'{name}:{",".join(dropped)}')
        names.append(name)
        configs_by_name[name] = config
    if 'pymdownx.superfences' in configs_by_name and 'pymdownx.highlight' not in configs_by_name:
        # Superfences highlights through pymdownx.highlight's defaults (Pygments) otherwise.
        names.append('pymdownx.highlight')
        accept_pygments_options()
        configs_by_name['pymdownx.highlight'] = {'use_pygments': False}
    if 'pymdownx.snippets' in configs_by_name:
        snippets = configs_by_name['pymdownx.snippets']
        # Paths resolve from the folder mkdocs runs in: the yml's.
        base = snippets.get('base_path', ['.'])
        base = base if isinstance(base, list) else [base]
        snippets['base_path'] = [os.path.join(tree, path) for path in base]
        snippets['check_paths'] = False
        snippets['auto_append'] = []
    return chosen, names, configs_by_name, skipped


class Blocks(HTMLParser):
    """Code blocks of rendered HTML with the labels of the tabs around them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.stack = []  # open elements: (tag, role, data)
        self.sets = []  # open tab sets: {'labels': [], 'index': -1, 'depth': n}
        self.label = None
        self.code = None

    def handle_starttag(self, tag, attrs):
        if tag in ('input', 'br', 'img', 'hr', 'meta', 'link', 'wbr'):
            return
        classes = (dict(attrs).get('class') or '').split()
        role = None
        if tag == 'div' and 'tabbed-set' in classes:
            role = 'set'
            self.sets.append({'labels': [], 'index': -1})
        elif tag == 'label' and self.sets and self.in_role('labels'):
            role = 'label'
            self.label = []
        elif tag == 'div' and 'tabbed-labels' in classes:
            role = 'labels'
        elif tag == 'div' and 'tabbed-block' in classes and self.sets:
            role = 'block'
            self.sets[-1]['index'] += 1
        elif tag == 'code' and self.stack and self.stack[-1][0] == 'pre':
            role = 'code'
            lang = next((c[len('language-'):] for c in classes if c.startswith('language-')), '')
            self.code = {'lang': lang, 'parts': []}
        self.stack.append((tag, role))

    def in_role(self, role):
        return any(entry[1] == role for entry in self.stack)

    def handle_endtag(self, tag):
        if tag in ('input', 'br', 'img', 'hr', 'meta', 'link', 'wbr'):
            return
        # Close up to the matching tag (HTML from Markdown is well formed).
        while self.stack:
            open_tag, role = self.stack.pop()
            self.close(role)
            if open_tag == tag:
                break

    def close(self, role):
        if role == 'set':
            self.sets.pop()
        elif role == 'label' and self.label is not None:
            self.sets[-1]['labels'].append(''.join(self.label).strip())
            self.label = None
        elif role == 'code' and self.code is not None:
            tabs = []
            for tab_set in self.sets:
                index = tab_set['index']
                tabs.append(tab_set['labels'][index] if 0 <= index < len(tab_set['labels']) else '?')
            text = ''.join(self.code['parts'])
            # Python-Markdown ends an indented code block's text with a newline; superfences does not.
            fenced = not text.endswith('\n')
            self.blocks.append({'lang': self.code['lang'], 'text': text if fenced else text[:-1], 'tabs': tabs, 'fenced': fenced})
            self.code = None

    def handle_data(self, data):
        if self.code is not None:
            self.code['parts'].append(data)
        elif self.label is not None:
            self.label.append(data)


def pages(tree):
    """The pages a site renders: its docs folder (for Wallarm the content trees, not the one-line shells)."""
    out = []
    docs = os.path.join(tree, 'docs')
    wanted = [os.path.join(docs, name) for name in ('latest', 'latest-pt-BR')]
    roots = [path for path in wanted if os.path.isdir(path)] or [docs]
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                if name.endswith('.md'):
                    out.append(os.path.relpath(os.path.join(folder, name), tree))
    if os.path.isfile(os.path.join(tree, 'index.md')):
        out.append('index.md')
    return sorted(out)


def main():
    tree = os.path.abspath(sys.argv[1])
    out_file = sys.argv[2]
    wanted = sys.argv[3:]
    if wanted[:1] == ['--every']:
        every = int(wanted[1])
        wanted = sorted(set(pages(tree)[::every]) | set(wanted[2:]))
    chosen, names, configs, skipped = build(tree)
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    result = {'config': {'file': chosen, 'extensions': names, 'skipped': skipped}, 'pages': {}}
    for page in wanted or pages(tree):
        with open(os.path.join(tree, page), encoding='utf-8-sig') as handle:
            text = handle.read()
        md.reset()
        # Front matter is the meta extension's or the site's business, never code.
        parser = Blocks()
        parser.feed(md.convert(text))
        result['pages'][page] = parser.blocks
    with open(out_file, 'w', encoding='utf-8') as handle:
        json.dump(result, handle, ensure_ascii=False)


if __name__ == '__main__':
    main()
