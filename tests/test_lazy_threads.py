"""Names that load on first use load in any thread, also while another thread is loading them."""

from __future__ import annotations

from _fresh import fresh

# Thread A asks for a name whose package's __init__ imports the module thread B asks for. A is held
# just after taking the package's import lock until B waits on that lock (B's import of the module
# then holds the module's lock): the interleaving in which two threads' first uses used to collide.
_RACE = """
import importlib._bootstrap as bootstrap
import importlib.abc, importlib.machinery, json, sys, threading, time
import sequrity

held, waiting = threading.Event(), []

class HoldPackage(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != "sequrity.types.messages" or threading.current_thread().name != "A":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        real = spec.loader

        class Loader(importlib.abc.Loader):
            def create_module(self, spec):
                held.set()
                while not waiting or not bootstrap._blocking_on.get(waiting[0].ident):
                    time.sleep(0.001)

            def exec_module(self, module):
                real.exec_module(module)

        spec.loader = Loader()
        return spec

sys.meta_path.insert(0, HoldPackage())
got = {}

def use(name):
    try:
        got[name] = getattr(sequrity, name).__name__
    except Exception as exc:
        got[name] = repr(exc)

a = threading.Thread(target=use, args=("AnthropicMessageResponse",), name="A")
a.start()
held.wait()
b = threading.Thread(target=use, args=("AnthropicMessageRequest",), name="B")
waiting.append(b)
b.start()
a.join()
b.join()
print(json.dumps(got))
"""


def test_two_threads_first_using_names_of_one_package_both_get_them():
    """Two threads' first uses of `sequrity` names colliding mid-import both get the classes."""
    result, _ = fresh(_RACE, warnings_as_errors=False)

    assert result == {
        "AnthropicMessageResponse": "AnthropicMessageResponse",
        "AnthropicMessageRequest": "AnthropicMessageRequest",
    }
